import { defineConfig } from '@playwright/test';

// `bench sync` only (server/src/bin/bench/sync.rs starts the server and
// passes its address in DOORSTEP_BENCH_SERVER); never part of the suite.

// Cutting the network cuts the service worker's own requests too, which
// Playwright routes only with this switch (Chromium).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

export default defineConfig({
  testDir: '.',
  testMatch: /offline-sync\.spec\.ts/,
  outputDir: '../test-results/perf',
  workers: 1,
  retries: 0,
  reporter: [['line']],
  timeout: 600_000,
  use: {
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
  },
});
