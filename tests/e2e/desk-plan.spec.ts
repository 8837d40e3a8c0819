import { Page } from '@playwright/test';
import { test, expect, collectPageErrors, openDeskAsZhao, shanghaiTomorrow } from './helpers';

// An order for tomorrow for a demo customer (whose home is located), for
// the appliance they have on file; answers the order's id. Tomorrow is
// ahead of any hour the suite runs at, so the plan is the same every run.
async function orderFor(page: Page, customerName: string, from: string, until: string): Promise<string> {
  const headers = { Origin: new URL(page.url()).origin };
  const found = await page.request.post('/api/customers/find', { form: { query: customerName }, headers });
  expect(found.status(), await found.text()).toBe(200);
  const [match] = await found.json();
  const date = shanghaiTomorrow();
  const taken = await page.request.post('/api/work_orders/create', {
    data: {
      intake: {
        work_order_id: crypto.randomUUID(),
        customer_id: match.customer.id,
        appliance_id: match.appliances[0].appliance.id,
        existing_customer: true,
        existing_appliance: true,
        customer_name: '',
        customer_phone: '',
        customer_address: '',
        brand: '',
        category: '',
        model: '',
        serial_number: '',
        purchase_date: '',
        warranty_end: '',
        reported_fault: '复查：上次维修后又出现同样的问题',
        fault_category: 'other',
        channel: 'phone',
        priority: 'normal',
        appointment_start: `${date}T${from}`,
        appointment_end: `${date}T${until}`,
      },
    },
    headers,
  });
  expect(taken.status(), await taken.text()).toBe(200);
  return taken.json();
}

test('the dispatcher plans tomorrow, takes two changes one by one, and pins a visit', async ({ page, isMobile }, testInfo) => {
  test.skip(isMobile, 'the desk is for desktop browsers');
  const errors = collectPageErrors(page);
  await openDeskAsZhao(page);
  const first = await orderFor(page, '王秀英', '10:00', '12:00');
  const second = await orderFor(page, '张丽', '14:00', '16:00');
  await page.reload();
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  const queued = (order: string) => page.locator(`[data-testid="queued-order"][data-order="${order}"]`);
  await expect(queued(first)).toHaveCount(1);
  await expect(queued(second)).toHaveCount(1);

  // Plan: the rest of today first, then tomorrow.
  await page.getByTestId('plan-day').click();
  const plan = page.getByTestId('day-plan');
  await expect(plan).toBeVisible();
  await expect(plan.getByTestId('day-plan-rest_of_today')).toHaveAttribute('aria-pressed', 'true');
  await expect(plan.getByTestId('day-plan-now')).toBeVisible();
  await plan.getByTestId('day-plan-tomorrow').click();
  await expect(plan.getByTestId('day-plan-tomorrow')).toHaveAttribute('aria-pressed', 'true');
  await expect(plan.getByRole('heading', { name: '明天的工作：建议安排' })).toBeVisible();
  const stop = (order: string) => plan.locator(`[data-testid="day-plan-stop"][data-order="${order}"]`);
  await expect(stop(first)).toHaveAttribute('data-change', 'takes');
  await expect(stop(second)).toHaveAttribute('data-change', 'takes');
  await expect(stop(first).getByTestId('day-plan-change')).toHaveText('新派');
  await expect(stop(first).getByTestId('day-plan-late')).toHaveCount(0);
  await expect(plan.getByTestId('day-plan-proposed')).toContainText('按建议');
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/plan-1-proposed.png' });

  // Take the two, one by one; a double press on the first is one assignment.
  const take = async (order: string) => {
    const button = stop(order).getByTestId('day-plan-accept');
    await button.dblclick();
    const asked = stop(order).getByTestId('day-plan-confirm');
    const taken = stop(order).getByTestId('day-plan-accepted');
    await expect(taken.or(asked).first()).toBeVisible();
    if (await asked.isVisible()) await asked.getByTestId('day-plan-accept-anyway').click();
    await expect(taken).toHaveText('已采纳');
    await expect(button).toBeHidden();
  };
  await take(first);
  await take(second);
  await expect(stop(first).getByTestId('day-plan-refusal')).toHaveCount(0);
  // Off the queue: both orders have their technician now.
  await expect(queued(first)).toHaveCount(0);
  await expect(queued(second)).toHaveCount(0);
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/plan-2-taken.png' });

  // Planned again, the two stay where they were put; one is pinned to
  // its technician, which the plan keeps.
  await plan.getByTestId('day-plan-replan').click();
  await expect(stop(first)).toHaveAttribute('data-change', 'keeps');
  await expect(stop(second)).toHaveAttribute('data-change', 'keeps');
  const holder = await stop(first).locator('xpath=ancestor::*[@data-testid="day-plan-lane"]').getAttribute('data-technician');
  const pin = stop(first).getByTestId('day-plan-pin');
  await expect(pin).toHaveAttribute('aria-pressed', 'false');
  await pin.click();
  await expect(pin).toHaveAttribute('aria-pressed', 'true');
  await plan.getByTestId('day-plan-replan').click();
  await expect(stop(first)).toHaveAttribute('data-change', 'keeps');
  await expect(stop(first).getByTestId('day-plan-pin')).toHaveAttribute('aria-pressed', 'true');
  await expect(
    plan.locator(`[data-testid="day-plan-lane"][data-technician="${holder}"] [data-order="${first}"]`),
  ).toHaveCount(1);

  // In English.
  await page.getByTestId('language-switch').click();
  await expect(plan.getByRole('heading', { name: 'Tomorrow: a proposal' })).toBeVisible();
  await expect(stop(first).getByTestId('day-plan-change')).toHaveText('unchanged');
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/plan-3-english.png' });
  await page.getByTestId('language-switch').click();

  // Closed: the desk as it was.
  await plan.getByTestId('day-plan-close').click();
  await expect(plan).toHaveCount(0);
  expect(errors).toEqual([]);
});
