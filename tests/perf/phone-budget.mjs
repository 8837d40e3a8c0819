// The phone budget, measured: Debian's Chromium opens the technician's
// "today" page through a link shaped like Slow 4G, with the CPU slowed 4x,
// once with nothing kept (first load) and once more in the same browser
// (return visit). Prints one JSON object; `bench phone` starts the server,
// runs this and prints the table (server/src/bin/bench/phone.rs).
//
// Usage: node tests/perf/phone-budget.mjs <server base URL> <login> <password>
//
// The link is emulated between the browser and the server (link.mjs),
// rather than with DevTools' request throttling, and bytes are counted on
// it: what the phone downloads, headers and the service worker's own
// downloads included.

import { chromium, devices } from '@playwright/test';
import { openLink, SLOW_4G } from './link.mjs';

const [serverBase, login, password] = process.argv.slice(2);
if (!serverBase || !login || !password) {
  console.error('usage: node tests/perf/phone-budget.mjs <server base URL> <login> <password>');
  process.exit(2);
}

// The page is done loading when the link has carried nothing for this long.
const QUIET_MS = 1500;
const PHASE_TIMEOUT_MS = 120_000;

const { base, down, up, close } = await openLink(serverBase);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const context = await browser.newContext({
  ...devices['Pixel 7'],
  baseURL: base,
  serviceWorkers: 'allow',
});

// Records, inside the page, when the first tap on the language switch was
// handled: the moment the button's label left the one the server wrote
// (before hydration a tap changes nothing).
await context.addInitScript(() => {
  new MutationObserver((records, observer) => {
    const button = document.querySelector('[data-testid="language-switch"]');
    if (!button || window.__serverLabel === undefined) return;
    if (button.textContent !== window.__serverLabel) {
      window.__firstTapHandledMs = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, characterData: true, childList: true });
});

// Signed in without opening any page, so the first load finds nothing kept.
const answer = await context.request.post('/api/auth/login', {
  form: { login, password },
  headers: { origin: base, accept: 'application/json' },
});
if (!answer.ok()) {
  console.error(`login as ${login} failed: ${answer.status()} ${await answer.text()}`);
  process.exit(1);
}

async function waitForQuietLink() {
  const started = performance.now();
  for (;;) {
    const last = Math.max(down.lastActivity, up.lastActivity);
    const now = performance.now();
    if (now - last >= QUIET_MS && now - started >= QUIET_MS) return;
    if (now - started > PHASE_TIMEOUT_MS) throw new Error('the link never went quiet');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openToday(label) {
  await waitForQuietLink();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_4G.cpuSlowdown });
  const [downBefore, upBefore] = [down.bytes, up.bytes];

  await page.goto('/', { waitUntil: 'commit', timeout: PHASE_TIMEOUT_MS });
  const button = page.getByTestId('language-switch');
  await button.waitFor({ timeout: PHASE_TIMEOUT_MS });
  await page.evaluate(
    () => (window.__serverLabel = document.querySelector('[data-testid="language-switch"]').textContent),
  );
  // Tap until a tap is handled, as an impatient technician would.
  const deadline = performance.now() + PHASE_TIMEOUT_MS;
  let handledMs = null;
  while (handledMs === null) {
    if (performance.now() > deadline) throw new Error(`${label}: no tap was handled`);
    const box = await button.boundingBox();
    if (box) await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    handledMs = await page.evaluate(() => window.__firstTapHandledMs ?? null);
    if (handledMs === null) await page.waitForTimeout(50);
  }
  const downUntilInteractive = down.bytes - downBefore;
  await page.waitForLoadState('load', { timeout: PHASE_TIMEOUT_MS });
  const timings = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      firstContentfulPaintMs: paint ? paint.startTime : null,
      loadMs: navigation ? navigation.loadEventEnd : null,
      serviceWorker: !!navigator.serviceWorker.controller,
    };
  });
  // The service worker keeps the app for next time: wait until it has it.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await waitForQuietLink();
  await page.close();
  return {
    label,
    downloadedBytes: down.bytes - downBefore,
    downloadedBytesUntilInteractive: downUntilInteractive,
    uploadedBytes: up.bytes - upBefore,
    firstContentfulPaintMs: timings.firstContentfulPaintMs,
    firstTapHandledMs: handledMs,
    loadMs: timings.loadMs,
    controlledByServiceWorker: timings.serviceWorker,
    pageErrors: errors,
  };
}

try {
  const first = await openToday('first load');
  const returning = await openToday('return visit');
  console.log(JSON.stringify({ profile: SLOW_4G, device: 'Pixel 7', first, returning }));
} finally {
  await browser.close();
  close();
}
