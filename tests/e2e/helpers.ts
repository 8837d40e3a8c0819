import { test as base, Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';

export { expect } from '@playwright/test';

// How far the server's clock (and so every browser's) is moved from this
// machine's (playwright.config.ts, DOORSTEP_E2E_NOW); 0 on an ordinary run.
export const CLOCK_SHIFT_MS = Number(process.env.DOORSTEP_E2E_SHIFT_MS ?? 0);

// The time as the server and the phones see it.
export function serverNow(): number {
  return Date.now() + CLOCK_SHIFT_MS;
}

// Moves a browser context's clock with the server's; it keeps running.
export async function moveClock(context: BrowserContext): Promise<void> {
  if (CLOCK_SHIFT_MS !== 0) await context.clock.install({ time: serverNow() });
}

// Every test's own browser context runs on the server's clock.
export const test = base.extend({
  context: async ({ context }, use) => {
    await moveClock(context);
    await use(context);
  },
});

// A further browser context (a second phone, the office), on the server's clock.
export async function newContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await moveClock(context);
  return context;
}

// Fails the test on any uncaught page error or console error, so a WASM that
// did not load or a hydration mismatch cannot pass unnoticed.
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The page's address too: a message on a page the test did not mean to
    // be on (a form posted before the app woke, say) says so.
    if (message.type() === 'error') errors.push(`console: ${message.text()} [at ${page.url()}]`);
  });
  page.on('requestfailed', (request) =>
    errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  return errors;
}

export async function tap(page: Page, locator: ReturnType<Page['locator']>, isMobile: boolean) {
  if (isMobile) await locator.tap();
  else await locator.click();
}

export const DEMO_PASSWORD = 'doorstep-demo';

export async function logIn(page: Page, login: string, password: string, isMobile: boolean) {
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await tap(page, page.getByRole('button', { name: '登录' }), isMobile);
}

// "YYYY-MM-DDTHH:00" on Shanghai's clock (UTC+8), `hours` from the current hour.
export function shanghaiHour(hours: number): string {
  const shanghai = new Date(serverNow() + 8 * 3600 * 1000);
  shanghai.setUTCMinutes(0, 0, 0);
  shanghai.setUTCHours(shanghai.getUTCHours() + hours);
  return shanghai.toISOString().slice(0, 13) + ':00';
}

// A technician's phone: a browser context of its own at a Pixel-class size.
export async function phoneContext(browser: Browser, baseURL: string | undefined): Promise<BrowserContext> {
  return newContext(browser, {
    baseURL,
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
}
