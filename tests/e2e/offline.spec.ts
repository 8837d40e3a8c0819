import { BrowserContext, Page, Route } from '@playwright/test';
import {
  test, expect, collectPageErrors, logIn, newContext, serverNow, tap, ALL_WARNINGS, DEMO_PASSWORD,
  arriveAndStart, customerSigns, finishWork, markItemsDone, openItem, openStage, recordOutcome,
} from './helpers';

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

// Reloads a page with the network cut. The kept page comes back at once
// (its header says 在线, as the server rendered it), but only the app's
// code, compiled from the kept WASM, learns there is no network: on a
// loaded phone that takes seconds. So: the kept page (not the worker's
// offline notice), then the app awake, and only then what it knows.
async function reloadOffline(page: Page) {
  await page.reload();
  await expect(page.getByTestId('offline-page')).toHaveCount(0);
  await expect(page.getByTestId('connection')).toHaveCount(1);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1, { timeout: 30_000 });
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
  await reloadOffline(page);
  await expect(heading).toHaveText('今日工单');
  await expect(page.getByTestId('visit-card')).toHaveCount(6);
  await expect(page.getByTestId('visit-card').first()).toContainText('09:00–11:00');
  // The worker tried the network for the page and was refused: what shows
  // came from the phone.
  expect(refused).toContain('worker /');
  // Hydrated from the kept WASM: only it can open the menu.
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  const toggle = page.getByTestId('menu-toggle');
  await tap(page, toggle, isMobile);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('menu')).toBeVisible();
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
  await tap(page, page.getByTestId('menu-toggle'), isMobile);
  await tap(page, page.getByTestId('logout'), isMobile);
  await expect(page).toHaveURL(/\/login$/);
  await cutNetwork(context, refused);
  await page.goto('/');
  await expect(page.getByTestId('offline-page')).toHaveText('没有网络');
});

// ---------------------------------------------------------------------------
// A whole visit done with no network reaches the server exactly once.

// The check-in asks for the position; the phone allows it.
test.use({ geolocation: { latitude: 31.2204, longitude: 121.5447, accuracy: 15 }, permissions: ['geolocation'] });

type Kept = {
  operation_id: string;
  made_at_ms: number;
  change: { visit_id: string; change: { kind: string; event?: string } };
};

// The name the server logs a change under (app/src/sync/operation.rs).
function kindOf(kept: Kept): string {
  const change = kept.change.change;
  const names: Record<string, string> = {
    done: 'checklist_done',
    not_applicable: 'checklist_not_applicable',
    photo: 'checklist_photo',
    insight: 'field_insight',
  };
  return change.kind === 'step' ? change.event! : names[change.kind] ?? change.kind;
}
type Logged = { operation_id: string; kind: string; device_at: number | null; received_at: number; held: string | null };

// The outbox as the phone keeps it (IndexedDB "doorstep", key "outbox").
async function keptOutbox(page: Page): Promise<Kept[]> {
  const text = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('doorstep');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('kept').objectStore('kept').get('outbox');
          get.onerror = () => reject(get.error);
          get.onsuccess = () => resolve(get.result as string);
        };
      }),
  );
  return JSON.parse(text).waiting;
}

async function syncLog(page: Page, visitId: string): Promise<Logged[]> {
  const response = await page.request.post('/api/sync/log', {
    form: { visit_id: visitId },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

// A real JPEG drawn by the browser, as a phone camera file would be.
async function cameraPhoto(page: Page) {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2000;
    canvas.height = 1500;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#2a7';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#fff';
    g.font = '180px sans-serif';
    g.fillText('BCD-470', 200, 800);
    return canvas.toDataURL('image/jpeg', 0.95).split(',')[1];
  });
  return { name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

// Opens the customer's visit online (the phone keeps it), cuts the network,
// reloads, does the whole visit (steps, every checklist item, one with a
// photo, outcome, signature), closes the page and opens it again, still
// with no network. Answers the open page, the visit id and the changes the
// phone keeps.
async function visitDoneOffline(
  context: BrowserContext,
  first: Page,
  customer: string,
  isMobile: boolean,
): Promise<{ page: Page; visitId: string; kept: Kept[] }> {
  await first.goto('/login');
  await logIn(first, 'tech.wang', DEMO_PASSWORD, isMobile);
  await expect(first).toHaveURL(/\/$/);
  await first.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const card = first.getByTestId('visit-card').filter({ hasText: customer });
  await tap(first, card.getByTestId('open-visit'), isMobile);
  await expect(first).toHaveURL(/\/visits\/[0-9a-f-]{36}$/);
  const visitId = first.url().split('/').pop()!;
  await expect(first.getByRole('heading', { level: 1 })).toHaveText(customer);
  await expect(first.getByTestId('sync-status')).toHaveText(/已同步/);
  // The phone keeps the page in the background: wait until it has it,
  // or the offline reload below races the keeping.
  // (Polled through evaluate: waitForFunction takes an async predicate's
  // promise for a truthy answer and would not wait.)
  await expect
    .poll(() => first.evaluate(async (path) => (await caches.match(path)) !== undefined, `/visits/${visitId}`))
    .toBe(true);

  const refused: string[] = [];
  await cutNetwork(context, refused);
  await reloadOffline(first);
  const page = first;
  await expect(page.getByTestId('connection')).toHaveText('离线');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(customer);
  expect(refused).toContain(`worker /visits/${visitId}`);

  const status = page.getByTestId('visit-status');
  await arriveAndStart(page, isMobile);
  const items = page.getByTestId('checklist-item');
  await expect(items).toHaveCount(11);
  const trialRun = await openItem(page, 'trial_run');
  await trialRun.getByTestId('photo-input').setInputFiles(await cameraPhoto(page));
  await expect(trialRun.getByTestId('photo-waiting')).toBeVisible();
  await expect(trialRun).toHaveAttribute('data-state', 'done');
  await markItemsDone(page, isMobile);
  await recordOutcome(page, isMobile);
  await finishWork(page, isMobile);
  await customerSigns(page, isMobile);
  await expect(page.getByTestId('signed-waiting')).toBeVisible();
  const waiting = page.getByTestId('sync-status');
  // 3 steps, 10 items (the signature completes the 11th), the outcome, the
  // finish, the signature.
  await expect(waiting).toHaveAttribute('data-waiting', '16');
  await expect(waiting).toHaveText('16 项待同步');

  // Closed and opened again, still with no network: the work is all there.
  await page.close();
  const reopened = await context.newPage();
  await reopened.goto(`/visits/${visitId}`);
  await expect(reopened.getByRole('heading', { level: 1 })).toHaveText(customer);
  await expect(reopened.getByTestId('visit-status')).toHaveText('已签字');
  await expect(reopened.getByTestId('sync-status')).toHaveAttribute('data-waiting', '16');
  await openStage(reopened, 'norms', isMobile);
  await expect(reopened.locator('[data-testid="checklist-item"][data-state="done"]')).toHaveCount(11);
  const kept = await keptOutbox(reopened);
  expect(kept).toHaveLength(16);
  expect(new Set(kept.map((k) => k.operation_id)).size).toBe(16);
  return { page: reopened, visitId, kept };
}

// Back online: the waiting changes go, in order; then every one of them is
// on the server exactly once, with the phone's time.
async function expectAllOnServerOnce(page: Page, visitId: string, kept: Kept[], onlineAt: number) {
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-waiting', '0', { timeout: 30_000 });
  await expect(page.getByTestId('sync-status')).toHaveText(/已同步 \d\d:\d\d/);
  await expect(page.getByTestId('not-applied')).toBeHidden();
  await expect(page.getByTestId('open-record')).toBeVisible();
  const log = await syncLog(page, visitId);
  expect(log.map((entry) => entry.operation_id).sort()).toEqual(kept.map((k) => k.operation_id).sort());
  const made = new Map(kept.map((k) => [k.operation_id, k]));
  for (const entry of log) {
    const phone = made.get(entry.operation_id)!;
    expect(entry.device_at).toBe(phone.made_at_ms);
    expect(entry.kind).toBe(kindOf(phone));
    expect(entry.held).toBeNull();
    // Made offline, received on the server's clock after the phone made it.
    expect(entry.device_at!).toBeLessThan(onlineAt);
    expect(entry.received_at).toBeGreaterThanOrEqual(entry.device_at! - 1_000);
  }
  // Received after the network came back, all but at most the head of the
  // outbox: the page Playwright closes can send its first change as it goes
  // (seen in a trace: the server got it at the moment of the close, and the
  // dying page never read the answer). The reopened page sends it again and
  // the server answers it as the repeat, so it is still once.
  const early = log.filter((entry) => entry.received_at < onlineAt - 1_000);
  expect(early.length).toBeLessThanOrEqual(1);
  for (const entry of early) {
    expect(entry.device_at).toBe(Math.min(...kept.map((k) => k.made_at_ms)));
  }
  expect(log.map((entry) => entry.kind)).toEqual(
    expect.arrayContaining(['set_off', 'check_in', 'start_work', 'checklist_photo', 'outcome', 'finish_work', 'sign_off']),
  );
  // The sealed record holds on the server.
  await tap(page, page.getByTestId('open-record'), true);
  await expect(page.getByTestId('record-seal')).toHaveText('记录完好：签字后未被改动');
  await expect(page.getByTestId('record-photo')).toHaveCount(1);
}

test('a whole visit done offline, closed and reopened, reaches the server once with the phone\'s times', async ({ page, context, isMobile }) => {
  test.skip(!isMobile, "the technician's phone");
  const errors = collectPageErrors(page);
  const { page: reopened, visitId, kept } = await visitDoneOffline(context, page, '张丽', isMobile);
  const onlineAt = serverNow();
  await context.unrouteAll();
  // What the phone asks of the sync once the network is back.
  const asked: string[] = [];
  await context.route('**/api/sync/**', (route: Route) => {
    asked.push(new URL(route.request().url()).pathname);
    return route.continue();
  });
  await context.setOffline(false);
  await expectAllOnServerOnce(reopened, visitId, kept, onlineAt);
  // The whole visit in one request (photo pieces apart), and the kit of
  // visits fetched once, after it, not once per change.
  await expect.poll(() => asked.filter((path) => path === '/api/sync/kit').length).toBe(1);
  expect(asked.filter((path) => path === '/api/sync/apply_batch')).toHaveLength(1);
  expect(asked.filter((path) => path === '/api/sync/apply')).toHaveLength(0);
  // The first page's errors are the refused requests of the offline part.
  expect(errors.filter((e) => !e.startsWith('request failed') && !e.includes('Failed to load resource') && !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
});

test('a sync cut off in the middle: the server answers a prefix, the rest goes again; nothing lost, nothing twice', async ({ page, context, isMobile }) => {
  test.skip(!isMobile, "the technician's phone");
  const { page: reopened, visitId, kept } = await visitDoneOffline(context, page, '刘洋', isMobile);
  const onlineAt = serverNow();
  await context.unrouteAll();
  // The first request is cut off after five changes: the server gets and
  // answers those five. The second (the other eleven) reaches the server,
  // but its answer is lost as the connection drops again.
  const sizes: number[] = [];
  let cut = false;
  await context.route('**/api/sync/apply_batch', async (route: Route) => {
    if (cut) return route.abort('internetdisconnected');
    const sent = route.request().postDataJSON();
    sizes.push(sent.batch.operations.length);
    if (sizes.length === 1) {
      sent.batch.operations = sent.batch.operations.slice(0, 5);
      const prefix = await route.fetch({ postData: JSON.stringify(sent) });
      return route.fulfill({ response: prefix });
    }
    await route.fetch();
    cut = true;
    await context.setOffline(true);
    return route.abort('internetdisconnected');
  });
  await context.setOffline(false);
  await expect.poll(() => cut, { timeout: 20_000 }).toBe(true);
  expect(sizes).toEqual([16, 11]);
  await expect(reopened.getByTestId('connection')).toHaveText('离线');
  const waitingAfterCut = Number(await reopened.getByTestId('sync-status').getAttribute('data-waiting'));
  expect(waitingAfterCut).toBe(16 - 5);
  // The server has all sixteen: the eleven whose answer was lost too.
  expect(await syncLog(reopened, visitId)).toHaveLength(16);
  await context.unrouteAll();
  await context.setOffline(false);
  await expectAllOnServerOnce(reopened, visitId, kept, onlineAt);
});

test('each sync request answered twice: every change still once', async ({ page, context, isMobile }) => {
  test.skip(!isMobile, "the technician's phone");
  const { page: reopened, visitId, kept } = await visitDoneOffline(context, page, '陈静', isMobile);
  const onlineAt = serverNow();
  await context.unrouteAll();
  const twice: string[] = [];
  await context.route('**/api/sync/**', async (route: Route) => {
    await route.fetch();
    const second = await route.fetch();
    twice.push(new URL(route.request().url()).pathname);
    return route.fulfill({ response: second });
  });
  await context.setOffline(false);
  await expectAllOnServerOnce(reopened, visitId, kept, onlineAt);
  // The changes and every photo piece went twice.
  expect(twice).toContain('/api/sync/apply_batch');
  expect(twice).toContain('/api/sync/photo_piece');
});

test('work done offline on a visit handed to someone else meanwhile is kept for the dispatcher', async ({ page, context, browser, isMobile, baseURL }) => {
  test.skip(!isMobile, "the technician's phone");
  await page.goto('/login');
  await logIn(page, 'tech.wang', DEMO_PASSWORD, isMobile);
  await expect(page).toHaveURL(/\/$/);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await tap(page, page.getByTestId('visit-card').filter({ hasText: '赵伟' }).getByTestId('open-visit'), isMobile);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('赵伟');
  const visitId = page.url().split('/').pop()!;
  await cutNetwork(context, []);
  await tap(page, page.getByTestId('next-step'), isMobile);
  await expect(page.getByTestId('visit-status')).toHaveText('在路上');
  await tap(page, page.getByTestId('next-step'), isMobile);
  await tap(page, page.getByTestId('confirm-arrival'), isMobile);
  await expect(page.getByTestId('visit-status')).toHaveText('已到达');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-waiting', '2');

  // Meanwhile the office gives the visit (an air conditioner) to Zhang,
  // who repairs them too.
  const office = await newContext(browser, { baseURL, viewport: { width: 1440, height: 900 } });
  const headers = { Origin: baseURL! };
  const login = await office.request.post('/api/auth/login', {
    form: { login: 'dispatch.zhao', password: DEMO_PASSWORD },
    headers,
  });
  expect(login.status()).toBe(200);
  const board = await (await office.request.post('/api/desk/board', { form: { region_id: '' }, headers })).json();
  const lanes = board.lanes as { name: string; technician_id: string; visits: { id: string; work_order_id: string }[] }[];
  const zhang = lanes.find((lane) => lane.name === '张师傅')!;
  const visit = lanes.flatMap((lane) => lane.visits).find((v) => v.id === visitId)!;
  const assigned = await office.request.post('/api/desk/assign', {
    form: {
      operation_id: crypto.randomUUID(),
      work_order_id: visit.work_order_id,
      technician_id: zhang.technician_id,
      visit_id: crypto.randomUUID(),
      confirmed: ALL_WARNINGS,
    },
    headers,
  });
  expect(assigned.status(), await assigned.text()).toBe(200);

  // Back online: nothing is lost; the phone says the work went to the dispatcher.
  await context.unrouteAll();
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-waiting', '0', { timeout: 30_000 });
  const held = page.getByTestId('not-applied-change');
  await expect(held).toHaveCount(2);
  await expect(held.first()).toContainText('工单已改派他人：您的记录已保存，交由调度处理');
  await tap(page, held.first().getByTestId('dismiss-not-applied'), isMobile);
  await expect(held).toHaveCount(1);

  // The dispatcher sees it on the desk, and in the visit's sync log.
  const desk = await office.newPage();
  await desk.goto('/desk');
  const items = desk.getByTestId('held-work-item');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toHaveAttribute('data-reason', 'reassigned');
  await expect(items.first()).toContainText('赵伟');
  await desk.goto(`/visits/${visitId}/record`);
  await expect(desk.locator('[data-testid="sync-log-entry"][data-held="reassigned"]')).toHaveCount(2);

  // The dispatcher settles each once. Zhang has the visit now, so Wang's
  // work does not apply to it as it stands: refused beside the item.
  await desk.goto('/desk');
  await expect(desk.locator('body[data-hydrated]')).toHaveCount(1);
  const first = items.first();
  await first.getByTestId('settle-apply').click();
  await expect(first.getByTestId('settle-refusal')).toHaveText(/^无法按现状应用：该上门现在属于另一位技术员。/);
  await expect(items).toHaveCount(2);
  await desk.screenshot({ path: 'screenshots/desk/held-work-refused.png' });
  // Kept as Wang's record: the item leaves, the desk says so.
  await first.getByTestId('settle-record').dblclick();
  await expect(desk.getByTestId('settled-notice')).toHaveText('已处理（赵伟）：已记为技术员的服务记录。');
  await expect(items).toHaveCount(1);
  // Closing asks why first; the refusal names the empty reason.
  const last = items.first();
  await last.getByTestId('settle-close').click();
  await last.getByTestId('settle-close-confirm').click();
  await expect(last.getByTestId('settle-refusal')).toBeVisible();
  await last.getByTestId('settle-note').fill('师傅到门口时工单已改派，未进门');
  await expect(last.getByTestId('settle-refusal')).toHaveCount(0);
  await last.getByTestId('settle-close-confirm').click();
  await expect(desk.getByTestId('settled-notice')).toHaveText('已处理（赵伟）：已关闭。');
  await expect(desk.getByTestId('held-work')).toHaveCount(0);
  // The record's sync log tells the technician and the office what became of it.
  await desk.goto(`/visits/${visitId}/record`);
  await expect(desk.locator('[data-testid="sync-log-entry"][data-settled="recorded"]')).toHaveCount(1);
  const closedLine = desk.locator('[data-testid="sync-log-entry"][data-settled="closed"]');
  await expect(closedLine).toContainText('已关闭，原因：师傅到门口时工单已改派，未进门');
  // The dispatcher gives it back (the other tests count Wang's day).
  const wang = lanes.find((lane) => lane.name === '王师傅')!;
  const back = await office.request.post('/api/desk/assign', {
    form: {
      operation_id: crypto.randomUUID(),
      work_order_id: visit.work_order_id,
      technician_id: wang.technician_id,
      visit_id: crypto.randomUUID(),
      confirmed: ALL_WARNINGS,
    },
    headers,
  });
  expect(back.status(), await back.text()).toBe(200);
  await office.close();
});
