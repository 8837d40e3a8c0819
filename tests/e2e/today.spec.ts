import { test, expect, collectPageErrors, logIn, tap, DEMO_PASSWORD } from './helpers';

test('a technician logs in and the today page renders on the server, hydrates, and switches language', async ({ page, isMobile }, testInfo) => {
  const errors = collectPageErrors(page);
  const wasmResponse = page.waitForResponse((response) => response.url().endsWith('.wasm'));

  // Not logged in: the server redirects to the login page.
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe('/login');
  expect((await wasmResponse).status(), 'the WASM must load').toBe(200);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-login.png`, fullPage: true });

  await logIn(page, 'tech.wang', DEMO_PASSWORD, isMobile);
  await expect(page).toHaveURL(/\/$/);

  // Server-rendered HTML already holds the Chinese page and the visits.
  const serverHtml = await (await page.request.get('/')).text();
  expect(serverHtml).toContain('<html lang="zh-CN"');
  expect(serverHtml).toContain('今日工单');
  expect(serverHtml).toContain('王秀英');
  expect(serverHtml).not.toContain('孙磊'); // another technician's customer

  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('今日工单');
  await expect(page.getByTestId('signed-in-as')).toHaveText('当前用户：王师傅');
  await expect(page.getByTestId('visit-card')).toHaveCount(6);
  await expect(page.getByTestId('visit-count')).toHaveText('共 6 个上门服务');
  await expect(page.getByTestId('visit-card').first()).toContainText('09:00–11:00');
  // Every card: tap to call, tap the address for the map app.
  await expect(page.locator('[data-testid="visit-card"] a[href^="tel:1"]')).toHaveCount(6);
  await expect(page.locator('[data-testid="visit-card"] a[href^="https://uri.amap.com/search?keyword="]')).toHaveCount(6);
  // Visits whose window has ended without a check-in stand out as late,
  // judged by the server's clock against the demo day's windows.
  const risks = await page.getByTestId('visit-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-risk')));
  const late = risks.filter((r) => r === 'Late').length;
  await expect(page.getByTestId('late-risk').filter({ hasText: '已超时未到' })).toHaveCount(late);

  // Readable at this viewport: nothing wider than the screen.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-today-zh.png`, fullPage: true });

  // At a glance, no tap: every card's status, appliance and fault, warranty.
  const cards = page.getByTestId('visit-card');
  await expect(cards.getByTestId('card-status')).toHaveCount(6);
  for (const status of await cards.getByTestId('card-status').allTextContents()) {
    expect(status).toMatch(/^(待出发|在路上|服务中|待签字|已签字|到达存疑)$/);
  }
  await expect(cards.getByTestId('card-warranty')).toHaveCount(6);
  await expect(cards.filter({ hasText: '脱水时噪音大' })).toHaveCount(1);
  // At least three cards on one 360×640 screen.
  if (isMobile) {
    const fullyShown = await page.getByTestId('visit-card').evaluateAll((cards) =>
      cards.filter((c) => c.getBoundingClientRect().bottom <= window.innerHeight).length,
    );
    expect(fullyShown).toBeGreaterThanOrEqual(3);
  }

  // Hydration: only the WASM can make the menu button change state.
  const toggle = page.getByTestId('menu-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('menu')).toBeHidden();
  await tap(page, toggle, isMobile);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('menu')).toBeVisible();
  await tap(page, toggle, isMobile);

  // Language switch: text changes in place, without a reload.
  const languageSwitch = page.getByTestId('language-switch');
  await expect(languageSwitch).toHaveText('English');
  await tap(page, languageSwitch, isMobile);
  await expect(heading).toHaveText("Today's visits");
  await expect(toggle).toHaveText('☰ Menu');
  await expect(page.getByTestId('visit-count')).toHaveText('6 visits');
  await expect(languageSwitch).toHaveText('中文');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Doorstep');
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-today-en.png`, fullPage: true });

  // Remembered: the server renders the next page load in English.
  const reloaded = await page.reload();
  const reloadedHtml = await reloaded!.text();
  expect(reloadedHtml).toContain('<html lang="en"');
  expect(reloadedHtml).toMatch(/Today(&#x27;|&#39;|')s visits/);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(heading).toHaveText("Today's visits");

  // And back to Chinese, remembered again.
  await tap(page, page.getByTestId('language-switch'), isMobile);
  await expect(heading).toHaveText('今日工单');
  await page.reload();
  await expect(heading).toHaveText('今日工单');

  // Logging out, from the menu, ends the session: "today" sends back to
  // the login page.
  await tap(page, page.getByTestId('menu-toggle'), isMobile);
  await tap(page, page.getByTestId('logout'), isMobile);
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);

  expect(errors).toEqual([]);
});

test('a wrong password is refused with a clear message', async ({ page, isMobile }) => {
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'tech.wang', 'not-the-password', isMobile);
  await expect(page.getByTestId('login-error')).toHaveText('账号或密码错误。');
  await expect(page).toHaveURL(/\/login$/);
  // The 401 of the refused call is logged by Chromium itself.
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('an unknown address answers 404 with a localised page', async ({ page }) => {
  const errors = collectPageErrors(page);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  // A 404 document load is reported as a console error by Chromium itself.
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});

test('the health check reports the database', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
});
