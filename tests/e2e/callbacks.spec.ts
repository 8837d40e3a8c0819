import { test, expect, collectPageErrors, logIn, serverNow, DEMO_PASSWORD } from './helpers';

// Tomorrow at `hour`:00 in Beijing, as a datetime-local field takes it.
function tomorrowInBeijing(hour: number): string {
  const beijing = new Date(serverNow() + 8 * 3600_000 + 24 * 3600_000);
  const date = beijing.toISOString().slice(0, 10);
  return `${date}T${String(hour).padStart(2, '0')}:00`;
}

test('a callback finds the fault back: a complaint owned by the caller and a repeat work order; a complaint taken by phone', async ({ page, isMobile }) => {
  test.skip(isMobile, 'calls are made from the desk');
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await logIn(page, 'dispatch.zhao', DEMO_PASSWORD, false);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/desk$/);

  // The demo's last week of signed services left calls to make: the calls
  // alone, counted by the queue.
  await page.goto('/queue');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.locator('[data-testid="queue-filter-kind"][data-value="calls"]').click();
  const shown = async () => Number((await page.getByTestId('queue-count').textContent())!.match(/筛选出 (\d+) 项/)![1]);
  const calls = page.getByTestId('call-item');
  await expect(calls.first()).toBeVisible();
  const before = await shown();
  const card = calls.first();
  const visit = await card.getAttribute('data-visit');
  const kind = await card.getAttribute('data-kind');
  const thisCall = page.locator(`[data-testid="call-item"][data-visit="${visit}"][data-kind="${kind}"]`);
  await card.getByTestId('open-card').click();
  await expect(card.getByTestId('cost-weight')).toContainText('1:10:100');

  // Saved with nothing answered: refused inside the card, the question
  // marked, nothing kept.
  await card.getByTestId('record-call').click();
  await expect(card.getByTestId('queue-error')).toContainText('输入有误');
  await expect(card.locator('[data-question="call-fixed"]')).toHaveAttribute('data-missing', 'true');
  expect(await shown()).toBe(before);

  // Not fixed: five ratings, a complaint, and another visit tomorrow.
  await card.locator('[data-question="call-fixed"] [data-value="no"]').click();
  const ratings = card.getByTestId('rating');
  await expect(ratings).toHaveCount(5);
  for (let n = 0; n < 5; n++) await ratings.nth(n).locator('[data-value="2"]').click();
  await card.getByTestId('call-comment').fill('修完第二天又不脱水了');
  await card.getByTestId('call-complaint').fill('回访投诉：修过一次又坏，耽误用水');
  await card.getByTestId('call-repeat-fault').fill('修后再次不脱水');
  await card.getByTestId('call-repeat-start').fill(tomorrowInBeijing(10));
  await card.getByTestId('call-repeat-end').fill(tomorrowInBeijing(12));
  await card.getByTestId('record-call').click();
  await expect(page.getByTestId('call-recorded')).toContainText('投诉已进入跟进队列');
  await expect(page.getByTestId('call-recorded')).toContainText('已开返修工单');
  await expect(thisCall).toHaveCount(0);
  await expect.poll(shown).toBe(before - 1);

  // The complaint is in the follow-up queue, owned by 赵调度, its reply due
  // within the hour.
  await page.locator('[data-testid="queue-filter-kind"][data-value="complaints"]').click();
  const complaint = page.getByTestId('follow-up-item').filter({ hasText: '回访投诉：修过一次又坏' });
  await expect(complaint).toHaveAttribute('data-next', 'reply');
  await expect(complaint).toHaveAttribute('data-state', 'running');
  await expect(complaint.getByTestId('complaint-owner')).toHaveText('负责人：赵调度');

  // The repeat work order waits on the desk, urgent, for a technician.
  await page.goto('/desk');
  const repeat = page.getByTestId('queued-order').filter({ hasText: '【回访返修】修后再次不脱水' });
  await expect(repeat).toHaveCount(1);
  await expect(repeat).toContainText('加急');

  // The same customer rings to complain: taken on their file, owned by
  // whoever answered.
  await repeat.getByTestId('customer-link').click();
  await expect(page).toHaveURL(/\/customers\//);
  const form = page.getByTestId('take-complaint');
  await form.getByTestId('take-complaint-submit').click();
  await expect(form.getByTestId('complaint-error')).toContainText('输入有误');
  await form.getByTestId('complaint-description').fill('电话投诉：返修要等到明天，太慢');
  await form.getByTestId('take-complaint-submit').click();
  await expect(form.getByTestId('complaint-taken')).toContainText('投诉已受理');
  await expect(page.getByTestId('file-complaint').filter({ hasText: '电话投诉：返修要等到明天' })).toHaveCount(1);
  await page.goto('/queue');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.locator('[data-testid="queue-filter-kind"][data-value="complaints"]').click();
  const taken = page.getByTestId('follow-up-item').filter({ hasText: '电话投诉：返修要等到明天' });
  await expect(taken.getByTestId('complaint-owner')).toHaveText('负责人：赵调度');

  // The refused saves (422) are logged by Chromium itself; leaving the desk
  // ends its live stream.
  expect(errors.filter((e) => !e.includes('422') && !e.includes('/api/desk/events'))).toEqual([]);
});

test('an admin changes the callback sampling rates; a bad rate is named and nothing changes', async ({ page, isMobile }) => {
  test.skip(isMobile, 'set at the desk');
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await logIn(page, 'admin', DEMO_PASSWORD, false);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto('/queue');
  const form = page.getByTestId('sampling');
  const company = form.getByTestId('sampling-company_run');
  await expect(company).toHaveValue('50');
  await expect(form.getByTestId('sampling-contracted')).toHaveValue('100');

  await company.fill('150');
  await form.getByTestId('save-sampling').click();
  await expect(form.getByTestId('sampling-error')).toContainText('输入有误');
  await expect(company).toHaveAttribute('aria-invalid', 'true');
  await page.reload();
  await expect(page.getByTestId('sampling-company_run')).toHaveValue('50');

  await page.getByTestId('sampling-company_run').fill('60');
  await page.getByTestId('save-sampling').click();
  await expect(page.getByTestId('sampling-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('sampling-company_run')).toHaveValue('60');
  // Back to the standard's, for the tests after this one.
  await page.getByTestId('sampling-company_run').fill('50');
  await page.getByTestId('save-sampling').click();
  await expect(page.getByTestId('sampling-saved')).toBeVisible();
  expect(errors.filter((e) => !e.includes('422') && !e.includes('/api/desk/events'))).toEqual([]);
});
