// The sync after a dead zone, measured: on a Pixel 7 in Debian's Chromium,
// tech.wang opens a visit online, loses the network, does the whole visit
// (steps, checklist, outcome, the customer's answers and signature) and
// gets the network back on the emulated Slow 4G link (link.mjs) with the
// CPU slowed 4x. Measured from the network's return: until every change is
// on the server, and until the phone's kit of visits has come down again;
// the requests the phone made meanwhile, and the bytes both ways on the
// link. Once per demo customer below, each on a fresh phone. Writes one
// JSON object to DOORSTEP_BENCH_OUT for `bench sync` to print.

import fs from 'node:fs';
import { devices, Route } from '@playwright/test';
import {
  test, expect, logIn, tap, DEMO_PASSWORD, arriveAndStart, customerSigns, finishWork, markItemsDone, recordOutcome,
} from '../e2e/helpers';
import { openLink, SLOW_4G } from './link.mjs';

const SERVER = process.env.DOORSTEP_BENCH_SERVER ?? '';
const OUT = process.env.DOORSTEP_BENCH_OUT ?? '';
// tech.wang's demo visits of today, one per run.
const CUSTOMERS = ['张丽', '刘洋', '陈静'];

test('a visit done in a dead zone reaches the server when the network returns', async ({ browser }) => {
  expect(SERVER, 'DOORSTEP_BENCH_SERVER: the server to measure').not.toBe('');
  expect(OUT, 'DOORSTEP_BENCH_OUT: where the figures go').not.toBe('');
  const runs = [];
  for (const customer of CUSTOMERS) {
    const link = await openLink(SERVER);
    const context = await browser.newContext({
      ...devices['Pixel 7'],
      baseURL: link.base,
      geolocation: { latitude: 31.2204, longitude: 121.5447, accuracy: 15 },
      permissions: ['geolocation'],
    });
    try {
      const page = await context.newPage();
      await page.goto('/login');
      await expect(page.locator('body[data-hydrated]')).toHaveCount(1, { timeout: 60_000 });
      await logIn(page, 'tech.wang', DEMO_PASSWORD, true);
      await expect(page).toHaveURL(/\/$/, { timeout: 60_000 });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
      const card = page.getByTestId('visit-card').filter({ hasText: customer });
      await tap(page, card.getByTestId('open-visit'), true);
      await expect(page).toHaveURL(/\/visits\/[0-9a-f-]{36}$/, { timeout: 60_000 });
      const path = new URL(page.url()).pathname;
      await expect(page.getByTestId('sync-status')).toHaveText(/已同步/, { timeout: 60_000 });
      // The phone keeps the page in the background (polled through evaluate:
      // waitForFunction would take the async predicate's promise as true).
      await expect
        .poll(() => page.evaluate(async (kept) => (await caches.match(kept)) !== undefined, path), { timeout: 60_000 })
        .toBe(true);

      // The dead zone: no request gets out, the page's or the worker's.
      await context.setOffline(true);
      await context.route('**', (route: Route) => route.abort('internetdisconnected'));
      await page.reload();
      await expect(page.locator('body[data-hydrated]')).toHaveCount(1, { timeout: 60_000 });
      await expect(page.getByTestId('connection')).toHaveText('离线');
      await arriveAndStart(page, true);
      await markItemsDone(page, true);
      await recordOutcome(page, true);
      await finishWork(page, true);
      await customerSigns(page, true);
      const status = page.getByTestId('sync-status');
      const operations = Number(await status.getAttribute('data-waiting'));

      // The network returns, on a phone's link and a phone's CPU.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_4G.cpuSlowdown });
      const asked: string[] = [];
      let kits = 0;
      context.on('request', (request) => {
        const asked_path = new URL(request.url()).pathname;
        if (asked_path.startsWith('/api/')) asked.push(asked_path);
      });
      context.on('response', (response) => {
        if (new URL(response.url()).pathname === '/api/sync/kit') kits += 1;
      });
      await context.unrouteAll();
      const [downBefore, upBefore] = [link.down.bytes, link.up.bytes];
      const back = performance.now();
      await context.setOffline(false);
      await expect(status).toHaveAttribute('data-waiting', '0', { timeout: 60_000 });
      const sentMs = performance.now() - back;
      await expect.poll(() => kits, { timeout: 60_000 }).toBeGreaterThan(0);
      const syncedMs = performance.now() - back;
      // A quiet moment after: whatever else the phone asks for is counted.
      await page.waitForTimeout(2_000);
      const requests: Record<string, number> = {};
      for (const asked_path of asked) requests[asked_path] = (requests[asked_path] ?? 0) + 1;
      runs.push({
        customer,
        operations,
        sentMs,
        syncedMs,
        requests,
        downloadedBytes: link.down.bytes - downBefore,
        uploadedBytes: link.up.bytes - upBefore,
      });
    } finally {
      await context.close();
      link.close();
    }
  }
  fs.writeFileSync(OUT, JSON.stringify({ profile: SLOW_4G, device: 'Pixel 7', runs }));
});
