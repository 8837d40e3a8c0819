import { defineConfig } from '@playwright/test';

// The release build, served by the real server binary on a fresh SQLite file
// with today's demo visits. scripts/test.sh removes target/e2e before a run.

// The offline tests cut the service worker's own requests too, which
// Playwright routes only with this switch (Chromium).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const port = Number(process.env.DOORSTEP_E2E_PORT ?? 3100);

// DOORSTEP_E2E_NOW runs the suite as if at that instant (say
// 2026-12-31T23:55:00+08:00): the server's clock and every browser's are
// moved by the same amount, measured once here and handed to the workers.
// Tests read the moved clock through helpers.serverNow().
if (process.env.DOORSTEP_E2E_SHIFT_MS === undefined) {
  const pretend = process.env.DOORSTEP_E2E_NOW;
  const at = pretend ? Date.parse(pretend) : Date.now();
  if (Number.isNaN(at)) throw new Error(`DOORSTEP_E2E_NOW=${pretend} is not a date and time`);
  process.env.DOORSTEP_E2E_SHIFT_MS = String(pretend ? at - Date.now() : 0);
}

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
    {
      // A real phone's size for the visit's own flow (Pixel 5: 393×851,
      // touch), in the same Debian Chromium.
      name: 'pixel5',
      testMatch: /visit-flow\.spec\.ts/,
      use: {
        viewport: { width: 393, height: 851 },
        deviceScaleFactor: 2.75,
        isMobile: true,
        hasTouch: true,
      },
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
      DOORSTEP_CLOCK_SHIFT_MS: process.env.DOORSTEP_E2E_SHIFT_MS,
      LEPTOS_SITE_ROOT: 'target/site',
    },
  },
});
