import { test, expect, collectPageErrors, logIn, DEMO_PASSWORD } from './helpers';

// How the app reaches the phone: every file compressed, pages under a
// content security policy that lets the app run and nothing else.
test('pages and the app files arrive compressed, and the app runs under its content security policy', async ({ page, isMobile }) => {
  const errors = collectPageErrors(page);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  const responses: { url: string; encoding: string | undefined; status: number }[] = [];
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/pkg/') || response.request().resourceType() === 'document') {
      responses.push({
        url: url.pathname,
        encoding: (await response.allHeaders())['content-encoding'],
        status: response.status(),
      });
    }
  });

  const login = await page.goto('/login');
  const policy = (await login!.allHeaders())['content-security-policy'];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).toContain("frame-ancestors 'none'");
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'tech.wang', DEMO_PASSWORD, isMobile);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('visit-card')).toHaveCount(6);

  // The app runs: a tap changes state, and nothing was refused to run.
  const toggle = page.getByTestId('menu-toggle');
  if (isMobile) await toggle.tap();
  else await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);

  const files = responses.filter((r) => r.url.startsWith('/pkg/') && r.status === 200);
  expect(files.map((f) => f.url)).toEqual(expect.arrayContaining([expect.stringMatching(/\.wasm$/), expect.stringMatching(/\.js$/), expect.stringMatching(/\.css$/)]));
  for (const file of files) expect(file.encoding, file.url).toBe('br');
  const pages = responses.filter((r) => !r.url.startsWith('/pkg/') && r.status === 200);
  expect(pages.length).toBeGreaterThan(0);
  for (const document of pages) expect(document.encoding, document.url).toBe('br');
});
