import { test as base, Browser, BrowserContext, BrowserContextOptions, Locator, Page, expect } from '@playwright/test';

export { expect };

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

// Every warning the desk can ask about before an assignment goes ahead
// (a full day, a crowded window, hours off shift), as the assign endpoint's
// `confirmed` takes them: for tests about something else, whose visits
// land on a technician's day at whatever hour the suite runs.
export const ALL_WARNINGS = 'busy_day,crowded_window,outside_working_hours';

// Puts the picked order or visit on a lane, by the keyboard or the mouse.
// When the desk asks first (the suite runs at any hour, and the demo's
// technicians work the day shift), the second press confirms: the test is
// about the assignment, not the warning (desk-rules.spec.ts tests those).
// Answers whether the desk asked.
export async function assignOnLane(page: Page, lane: Locator, assigned: Locator, keyboard = false): Promise<boolean> {
  const press = async (button: Locator) => {
    if (keyboard) {
      await button.focus();
      await page.keyboard.press('Enter');
    } else {
      await button.click();
    }
  };
  await press(lane.getByTestId('assign-here'));
  const asked = lane.getByTestId('lane-confirm');
  await expect(assigned.or(asked).first()).toBeVisible();
  const wasAsked = await asked.isVisible();
  if (wasAsked) await press(asked.getByTestId('assign-anyway'));
  await expect(assigned).toHaveCount(1);
  return wasAsked;
}

export async function logIn(page: Page, login: string, password: string, isMobile: boolean) {
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await tap(page, page.getByRole('button', { name: '登录' }), isMobile);
}

// The region's dispatcher logs in at a desktop browser and lands on the desk.
export async function openDeskAsZhao(page: Page) {
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'dispatch.zhao', DEMO_PASSWORD, false);
  await expect(page).toHaveURL(/\/desk$/);
}

// "YYYY-MM-DDTHH:00" on Shanghai's clock (UTC+8), `hours` from the current hour.
export function shanghaiHour(hours: number): string {
  const shanghai = new Date(serverNow() + 8 * 3600 * 1000);
  shanghai.setUTCMinutes(0, 0, 0);
  shanghai.setUTCHours(shanghai.getUTCHours() + hours);
  return shanghai.toISOString().slice(0, 13) + ':00';
}

// Tomorrow's date in Shanghai, as the intake takes it: ahead of any clock
// the suite runs at, so hours of tomorrow are the same on every run.
export function shanghaiTomorrow(): string {
  return new Date(serverNow() + (8 + 24) * 3600 * 1000).toISOString().slice(0, 10);
}

// An order for a new customer, taken through the desk's own endpoint:
// `start` and `end` as the intake takes them ("YYYY-MM-DDTHH:MM").
export async function takeNewCustomerOrder(
  page: Page,
  order: { name: string; category: string; brand: string; model: string; fault: string; faultCategory: string; start: string; end: string; regionId?: string },
): Promise<string> {
  const workOrderId = crypto.randomUUID();
  const taken = await page.request.post('/api/work_orders/create', {
    data: {
      intake: {
        region_id: order.regionId ?? '',
        work_order_id: workOrderId,
        customer_id: crypto.randomUUID(),
        appliance_id: crypto.randomUUID(),
        existing_customer: false,
        existing_appliance: false,
        customer_name: order.name,
        customer_phone: '139 2026 1203',
        customer_address: '上海市浦东新区花木路 1000 弄 8 号 1202 室',
        brand: order.brand,
        category: order.category,
        model: order.model,
        serial_number: `SN-${Date.now()}`,
        purchase_date: '2024-05-01',
        warranty_end: '2030-05-01',
        reported_fault: order.fault,
        fault_category: order.faultCategory,
        channel: 'phone',
        priority: 'normal',
        appointment_start: order.start,
        appointment_end: order.end,
      },
    },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(taken.status(), await taken.text()).toBe(200);
  return workOrderId;
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

// ---- The visit page, stage by stage ----

export function visitStatus(page: Page) {
  return page.getByTestId('visit-status');
}

// The bottom bar's one button: the shown stage's next action.
export function nextStep(page: Page) {
  return page.getByTestId('next-step');
}

// Opens a stage from the stepper.
export async function openStage(page: Page, stage: string, isMobile: boolean) {
  await tap(page, page.locator(`[data-testid="stage-tab"][data-stage="${stage}"]`), isMobile);
  await expect(page.getByTestId('stage')).toHaveAttribute('data-stage', stage);
}

// Sets off, checks in through its confirmation, and starts the work.
export async function arriveAndStart(page: Page, isMobile: boolean) {
  const status = visitStatus(page);
  const next = nextStep(page);
  await expect(next).toHaveText('出发');
  await tap(page, next, isMobile);
  await expect(status).toHaveText('在路上');
  await expect(next).toHaveText('我已到达');
  await tap(page, next, isMobile);
  await tap(page, page.getByTestId('confirm-arrival'), isMobile);
  await expect(status).toHaveText('已到达');
  await expect(next).toHaveText('开始服务');
  await tap(page, next, isMobile);
  await expect(status).toHaveText('服务中');
  await expect(page.getByTestId('stage')).toHaveAttribute('data-stage', 'norms');
}

// Opens a checklist item for answering (one is open at a time).
export async function openItem(page: Page, key: string) {
  const item = page.locator(`[data-testid="checklist-item"][data-key="${key}"]`);
  const reopen = item.getByTestId('reopen-item');
  if (await reopen.isVisible()) await tap(page, reopen, true);
  await expect(item.getByTestId('open-not-applicable')).toBeVisible();
  return item;
}

// Marks every open checklist item done (the customer's signature item has
// no button), but those in `skip`.
export async function markItemsDone(page: Page, isMobile: boolean, skip: string[] = []) {
  const keys = await page.getByTestId('checklist-item').evaluateAll((nodes) =>
    nodes.filter((n) => n.getAttribute('data-state') === 'open').map((n) => n.getAttribute('data-key') ?? ''),
  );
  for (const key of keys) {
    if (skip.includes(key) || key === 'user_signature') continue;
    const item = await openItem(page, key);
    await tap(page, item.getByTestId('mark-done'), isMobile);
    await expect(item).toHaveAttribute('data-state', 'done');
  }
}

// Records the outcome on its stage.
export async function recordOutcome(page: Page, isMobile: boolean, fixed = true) {
  await openStage(page, 'outcome', isMobile);
  await tap(page, page.getByTestId(fixed ? 'outcome-fixed' : 'outcome-not-fixed'), isMobile);
  await tap(page, page.getByTestId('save-outcome'), isMobile);
  await expect(page.getByTestId('outcome-recorded')).toContainText(fixed ? '已修好' : '未修好');
}

// On the outcome stage: the work finished, the visit waits for the customer.
export async function finishWork(page: Page, isMobile: boolean) {
  await expect(nextStep(page)).toHaveText('完成服务');
  await tap(page, nextStep(page), isMobile);
  await expect(visitStatus(page)).toHaveText('待用户签字');
}

// The questions the customer answers yes or no, and the five ratings.
export const YES_NO_QUESTIONS = [
  'customer_says_fixed',
  'arrival_confirmed',
  'no_arguing',
  'no_eating_drinking_smoking',
  'no_gifts',
  'no_extra_charges',
];
export const RATINGS = ['skill', 'attitude', 'timeliness', 'parts_supply', 'overall'];

// The customer answers every question (yes, five stars unless told).
export async function answerAll(
  page: Page,
  isMobile: boolean,
  answers: { [question: string]: 'yes' | 'no' | number } = {},
) {
  for (const question of YES_NO_QUESTIONS) {
    const value = answers[question] ?? 'yes';
    await tap(page, page.locator(`[data-question="${question}"] [data-value="${value}"]`), isMobile);
  }
  for (const dimension of RATINGS) {
    const value = answers[dimension] ?? 5;
    await tap(page, page.locator(`[data-question="${dimension}"] [data-value="${value}"]`), isMobile);
  }
}

// Draws a two-stroke signature on the pad.
export async function drawSignature(page: Page) {
  const pad = page.getByTestId('signature-pad');
  // In the middle of the screen: "if needed" leaves a pad that is on screen
  // but partly under the customer's sticky bottom bar, which then takes the
  // stroke that starts there (as it would a finger).
  await pad.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  const stroke = async (points: [number, number][], made: number) => {
    const box = (await pad.boundingBox())!;
    const [x0, y0] = [box.x + points[0][0], box.y + points[0][1]];
    const onPad = await pad.evaluate((element, [x, y]) => element.contains(document.elementFromPoint(x, y)), [x0, y0]);
    expect(onPad, 'the stroke starts on the pad, not under a bar').toBe(true);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
    await page.mouse.up();
    await expect(pad.locator('polyline')).toHaveCount(made);
  };
  await stroke([[20, 120], [60, 40], [100, 130], [140, 50]], 1);
  await stroke([[170, 90], [230, 80], [300, 100]], 2);
}

// Hands the phone over; the customer answers, signs and submits.
export async function customerSigns(
  page: Page,
  isMobile: boolean,
  answers: { [question: string]: 'yes' | 'no' | number } = {},
) {
  await expect(nextStep(page)).toHaveText('请用户确认');
  await tap(page, nextStep(page), isMobile);
  await expect(page.getByTestId('customer-mode')).toBeVisible();
  await answerAll(page, isMobile, answers);
  await drawSignature(page);
  await tap(page, page.getByTestId('submit-signature'), isMobile);
  await expect(page.getByTestId('customer-mode')).toHaveCount(0);
  await expect(visitStatus(page)).toHaveText('已签字');
}
