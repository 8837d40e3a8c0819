import { test, expect, BrowserContext, Route } from '@playwright/test';
import { collectPageErrors, logIn, tap, DEMO_PASSWORD } from './helpers';

// The width and height a PNG's header gives.
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

// No network for the page or its service worker: Chromium's offline switch
// alone does not reach a service worker's own fetches, so every request is
// also refused at the context's router, which sees the worker's requests
// (PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS, set in the config).
async function cutNetwork(context: BrowserContext, refused: string[]) {
  await context.setOffline(true);
  await context.route('**', (route: Route) => {
    const request = route.request();
    refused.push(`${request.serviceWorker() ? 'worker' : 'page'} ${new URL(request.url()).pathname}`);
    return route.abort('internetdisconnected');
  });
}

test('the app is installable: its manifest, icons and service worker', async ({ page, isMobile }) => {
  test.skip(!isMobile, "the technician's phone");
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest.name).toBe('Doorstep 上门服务');
  expect(manifest.short_name).toBe('上门服务');
  expect(manifest.start_url).toBe('/');
  expect(manifest.scope).toBe('/');
  expect(manifest.display).toBe('standalone');
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  const pngs = manifest.icons.filter((icon: { type: string }) => icon.type === 'image/png');
  const sizes: string[] = [];
  for (const icon of pngs) {
    const response = await page.request.get(icon.src);
    expect(response.status(), icon.src).toBe(200);
    expect(response.headers()['content-type']).toContain('image/png');
    const [width, height] = pngSize(await response.body());
    expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    sizes.push(icon.sizes);
  }
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));

  const worker = await page.request.get('/sw.js');
  expect(worker.status()).toBe(200);
  expect(worker.headers()['content-type']).toContain('javascript');
  expect(worker.headers()['cache-control']).toBe('no-cache');
  const script = await worker.text();
  expect(script).not.toContain('__SITE_VERSION__');
  expect(script).toMatch(/const VERSION = "[0-9a-f]{16}";/);
  // It keeps the WASM, its JS and the stylesheet, and has a fetch handler.
  expect(script).toMatch(/"\/pkg\/[^"]+\.wasm"/);
  expect(script).toMatch(/"\/pkg\/[^"]+\.js"/);
  expect(script).toContain('"/pkg/doorstep.css"');
  expect(script).toContain('addEventListener("fetch"');

  // The page registers it and it takes control, scoped to the whole app.
  await page.goto('/login');
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe('/');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
});

test('with no network the today page opens, reloads and works; a page never opened says it is offline', async ({ page, context, isMobile }) => {
  test.skip(!isMobile, "the technician's phone");
  const errors = collectPageErrors(page);
  await page.goto('/');
  await logIn(page, 'tech.wang', DEMO_PASSWORD, isMobile);
  await expect(page).toHaveURL(/\/$/);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Opened once under the worker, the page is kept.
  await page.reload();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('今日工单');
  await expect(page.getByTestId('visit-card')).toHaveCount(6);
  expect(errors).toEqual([]);

  const connection = page.getByTestId('connection');
  await expect(connection).toHaveText('在线');
  const refused: string[] = [];
  const errorsBeforeCut = errors.length;
  await cutNetwork(context, refused);
  await expect(connection).toHaveText('离线');
  await expect(connection).toHaveAttribute('data-online', 'false');
  await page.reload();
  await expect(heading).toHaveText('今日工单');
  await expect(page.getByTestId('visit-card')).toHaveCount(6);
  await expect(page.getByTestId('visit-card').first()).toContainText('09:00–11:00');
  // The worker tried the network for the page and was refused: what shows
  // came from the phone.
  expect(refused).toContain('worker /');
  // Hydrated from the kept WASM: only it can open the card.
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  const toggle = page.getByTestId('visit-toggle').first();
  await tap(page, toggle, isMobile);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('.visit-card__details').first()).toBeVisible();
  // Reloaded with no network, the page knows it.
  await expect(connection).toHaveText('离线');
  // No script error and no hydration complaint; refused requests are the
  // point of the test.
  const offlineErrors = errors
    .slice(errorsBeforeCut)
    .filter((error) => !error.startsWith('request failed') && !error.includes('Failed to load resource'));
  expect(offlineErrors).toEqual([]);

  // A page this phone never opened: a plain offline notice, in both languages.
  await page.goto('/customers/00000000-0000-7000-8000-000000000999');
  await expect(page.getByTestId('offline-page')).toHaveText('没有网络');
  await expect(page.locator('body')).toContainText('No network');

  // Logged out, the phone keeps no page of the session for the next person.
  await context.unrouteAll();
  await context.setOffline(false);
  await page.goto('/');
  await expect(heading).toHaveText('今日工单');
  await tap(page, page.getByTestId('logout'), isMobile);
  await expect(page).toHaveURL(/\/login$/);
  await cutNetwork(context, refused);
  await page.goto('/');
  await expect(page.getByTestId('offline-page')).toHaveText('没有网络');
});
