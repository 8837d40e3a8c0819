import { Page } from '@playwright/test';
import { test, expect, collectPageErrors, logIn, openDeskAsZhao, shanghaiTomorrow, takeNewCustomerOrder, DEMO_PASSWORD } from './helpers';

// A complaint the signed-in dispatcher takes by phone about `order`: theirs to own.
async function takeByPhone(page: Page, order: string, description: string) {
  const taken = await page.request.post('/api/complaints/take', {
    form: { work_order_id: order, description },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(taken.status(), await taken.text()).toBe(200);
}

// The queue, opened and awake: its cards, its count and the number it shows.
async function openQueue(page: Page) {
  await page.goto('/queue');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  const cards = page.locator('.work-card');
  const count = page.getByTestId('queue-count');
  await expect(count).toContainText('共');
  const all = Number((await count.textContent())!.match(/共 (\d+) 项/)![1]);
  return { cards, count, all };
}

// The demo's follow-up queue: about 60 calls after service and 20 complaint
// steps, most of them overdue.
test('the follow-up queue is one-line cards, 25 to a page, filtered, one open at a time', async ({ page, isMobile }, testInfo) => {
  test.skip(isMobile, 'the queue is worked at the desk');
  const errors = collectPageErrors(page);
  await openDeskAsZhao(page);
  // A complaint 赵调度 takes by phone is his to own.
  const headers = { Origin: new URL(page.url()).origin };
  const board = await (await page.request.post('/api/desk/board', { form: { region_id: '' }, headers })).json();
  const order = (board.lanes as { visits: { work_order_id: string }[] }[]).flatMap((lane) => lane.visits)[0].work_order_id;
  await takeByPhone(page, order, '电话投诉：师傅走后地上有水渍');
  const { cards, count, all } = await openQueue(page);
  expect(all, 'the demo fills at least three pages').toBeGreaterThan(50);

  // 25 to a page, each one line of at most 56 px, none open.
  await expect(cards).toHaveCount(25);
  for (const box of await cards.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height))) {
    expect(box).toBeLessThanOrEqual(58); // the line's 56 px and the card's two 1 px borders
  }
  await expect(page.locator('.work-card[data-open="true"]')).toHaveCount(0);
  // Overdue first, in words rather than minutes.
  const lateness = cards.first().getByTestId('card-lateness');
  await expect(lateness).toHaveText(/^逾期 \d+ (天|小时|分钟)/);
  await expect(page.getByText(/\d{4,} 分钟/)).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/desk/queue.png' });

  // Paging: as many pages as 25 go into the whole, the last one holding the rest.
  const pages = Math.ceil(all / 25);
  await expect(page.getByTestId('queue-page-status')).toHaveText(`第 1 / ${pages} 页`);
  await expect(page.getByTestId('queue-page-prev')).toBeDisabled();
  for (let n = 2; n <= pages; n++) await page.getByTestId('queue-page-next').click();
  await expect(page.getByTestId('queue-page-status')).toHaveText(`第 ${pages} / ${pages} 页`);
  await expect(cards).toHaveCount(all - 25 * (pages - 1));
  await expect(page.getByTestId('queue-page-next')).toBeDisabled();

  // One card open at a time; opening another closes the first.
  await page.getByTestId('queue-page-prev').click();
  const first = cards.nth(0);
  const second = cards.nth(1);
  await first.getByTestId('open-card').click();
  await expect(first).toHaveAttribute('data-open', 'true');
  await expect(first.getByTestId('open-card')).toHaveAttribute('aria-expanded', 'true');
  await second.getByTestId('open-card').click();
  await expect(second).toHaveAttribute('data-open', 'true');
  await expect(first).toHaveAttribute('data-open', 'false');
  await expect(page.locator('.work-card[data-open="true"]')).toHaveCount(1);
  // Nothing of the customer's answers is chosen for them.
  const opened = page.locator('.work-card[data-open="true"]');
  await expect(opened.locator('[aria-checked="true"]')).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/desk/queue-open.png' });
  await second.getByTestId('open-card').click();
  await expect(page.locator('.work-card[data-open="true"]')).toHaveCount(0);

  // Filters: complaints only, then overdue only; the count and pages follow.
  await page.locator('[data-testid="queue-filter-kind"][data-value="complaints"]').click();
  await expect(page.locator('[data-testid="call-item"]')).toHaveCount(0);
  const complaints = await page.getByTestId('follow-up-item').count();
  expect(complaints).toBeGreaterThan(0);
  expect(complaints).toBeLessThanOrEqual(25);
  await expect(count).toContainText(`筛选出 ${complaints} 项（共 ${all} 项）`);
  await page.locator('[data-testid="queue-filter-kind"][data-value="calls"]').click();
  await expect(page.getByTestId('follow-up-item')).toHaveCount(0);
  await page.getByTestId('queue-filter-overdue').click();
  await expect(page.getByTestId('queue-filter-overdue')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-testid="call-item"][data-overdue="false"]')).toHaveCount(0);
  // Mine: complaints owned by 赵调度 only, so no calls.
  await page.locator('[data-testid="queue-filter-kind"][data-value="all"]').click();
  await page.getByTestId('queue-filter-overdue').click();
  await page.getByTestId('queue-filter-mine').click();
  await expect(page.locator('[data-testid="call-item"]')).toHaveCount(0);
  const mine = page.getByTestId('follow-up-item');
  await expect(mine.filter({ hasText: '电话投诉：师傅走后地上有水渍' })).toHaveCount(1);
  for (const owner of await mine.getByTestId('complaint-owner').allTextContents()) {
    expect(owner).toBe('负责人：赵调度');
  }

  // The 1:10:100 rule in plain words.
  await page.getByTestId('queue-rule').locator('summary').click();
  await expect(page.getByTestId('queue-rule')).toContainText('挽回同一位客户要花约 10 倍');

  // At 1024 px nothing overflows sideways.
  await page.setViewportSize({ width: 1024, height: 768 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(errors.filter((e) => !e.includes('/api/desk/events'))).toEqual([]);
});

test('a dispatcher takes an unowned complaint, and hands it on only with a reason', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the queue is worked at the desk');
  const errors = collectPageErrors(page);
  await openDeskAsZhao(page);
  await page.goto('/queue');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.locator('[data-testid="queue-filter-kind"][data-value="complaints"]').click();
  // A complaint made at sign-off belongs to the region's dispatchers, nobody by name.
  const unowned = page.getByTestId('follow-up-item').filter({ has: page.getByTestId('complaint-owner').getByText('负责人：本区域调度') });
  const id = await unowned.first().getAttribute('data-complaint');
  const card = page.locator(`[data-testid="follow-up-item"][data-complaint="${id}"]`);
  await card.getByTestId('open-card').click();
  await card.getByTestId('take-complaint-owner').click();
  await expect(card.getByTestId('complaint-owner')).toHaveText('负责人：赵调度');
  await expect(card.getByTestId('take-complaint-owner')).toHaveCount(0);

  // Handed to 钱调度 without a reason: refused beside the owner's controls,
  // the reason marked.
  await card.getByTestId('owner-to').selectOption({ label: '钱调度' });
  await card.getByTestId('owner-change-submit').click();
  await expect(card.getByTestId('owner-change').getByTestId('owner-error')).toHaveText('请写明转交原因：这条投诉已有指定负责人。');
  await expect(card.getByTestId('queue-error')).toHaveCount(0);
  await expect(card.getByTestId('owner-reason')).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByTestId('complaint-owner')).toHaveText('负责人：赵调度');
  await page.screenshot({ path: 'screenshots/desk/queue-owner-refused.png' });
  await card.getByTestId('owner-to').selectOption({ label: '钱调度' });
  await card.getByTestId('owner-reason').fill('赵调度明天休假，由钱调度跟进');
  await card.getByTestId('owner-change-submit').click();
  await expect(card.getByTestId('complaint-owner')).toHaveText('负责人：钱调度');
  await expect(card.getByTestId('owner-error')).toHaveCount(0);
  expect(errors.filter((e) => !e.includes('422') && !e.includes('/api/desk/events'))).toEqual([]);
});

// An admin sees every region's follow-ups (late ones escalate to admins)
// and works one region at a time.
test('an admin filters the follow-up queue by region', async ({ page, isMobile }, testInfo) => {
  test.skip(isMobile, 'the queue is worked at the desk');
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'admin', DEMO_PASSWORD, false);
  await expect(page).toHaveURL(/\/admin$/);
  const headers = { Origin: new URL(page.url()).origin };
  // A second region with one complaint in it.
  const saved = await page.request.post('/api/admin/save_region', {
    data: { id: '', region: { name: '上海浦西服务区', time_zone: 'Asia/Shanghai', level: 'company_run' } },
    headers,
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const board = await (await page.request.post('/api/desk/board', { form: { region_id: '' }, headers })).json();
  const west = (board.regions as [string, string][]).find(([, name]) => name === '上海浦西服务区')![0];
  const tomorrow = shanghaiTomorrow();
  const order = await takeNewCustomerOrder(page, {
    name: '浦西的顾客',
    category: 'refrigerator',
    brand: '海尔',
    model: 'BCD-470',
    fault: '冷冻室结霜',
    faultCategory: 'not_cooling',
    start: `${tomorrow}T09:00`,
    end: `${tomorrow}T11:00`,
    regionId: west,
  });
  await takeByPhone(page, order, '电话投诉：预约后无人联系');
  const { cards, count, all } = await openQueue(page);
  const region = page.getByTestId('queue-filter-region');
  await expect(region).toBeVisible();
  await region.selectOption({ label: '上海浦西服务区' });
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('浦西的顾客');
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-queue-region.png`, fullPage: true });
  await region.selectOption({ label: '全部服务区' });
  await expect(count).toContainText(`共 ${all} 项`);
  expect(errors).toEqual([]);
});
