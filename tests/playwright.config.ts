import { defineConfig } from '@playwright/test';

// The release build, served by the real server binary on a fresh SQLite file
// with today's demo visits. scripts/test.sh removes target/e2e before a run.

// The offline tests cut the service worker's own requests too, which
// Playwright routes only with this switch (Chromium).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const port = Number(process.env.DOORSTEP_E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
    trace: 'retain-on-failure',
    serviceWorkers: 'allow',
  },
  projects: [
    {
      name: 'phone',
      use: {
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
      },
    },
    {
      name: 'desktop',
      use: { viewport: { width: 1440, height: 900 } },
    },
  ],
  webServer: {
    command: './target/release/server',
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DOORSTEP_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: 'sqlite://target/e2e/doorstep.db',
      DOORSTEP_DEMO_DATA: 'true',
      DOORSTEP_LOG: 'warn',
      LEPTOS_SITE_ROOT: 'target/site',
    },
  },
});
