import { Page } from '@playwright/test';

// Fails the test on any uncaught page error or console error, so a WASM that
// did not load or a hydration mismatch cannot pass unnoticed.
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
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
