import { test, expect, assignOnLane, collectPageErrors, logIn, newContext, phoneContext, shanghaiHour, tap, DEMO_PASSWORD } from './helpers';

test('an admin creates a technician, who sets a password on the phone and sees only his visits until he is deactivated', async ({ page, browser, isMobile, baseURL }) => {
  test.skip(isMobile, 'the admin desk is for desktop browsers (the technician gets a phone below)');
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'admin', DEMO_PASSWORD, false);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/admin$/);

  // The card number left out: refused, the field marked, nobody created.
  const form = page.getByTestId('person-form');
  await form.getByTestId('person-name').fill('赵新');
  await form.getByTestId('person-login').fill('tech.zhaoxin');
  await form.getByTestId('person-region').selectOption({ index: 1 });
  await form.getByTestId('person-employee_number').fill('T-0901');
  await form.getByTestId('skill-washing_machine').check();
  await form.getByTestId('save-person').click();
  await expect(page.getByTestId('admin-error')).toContainText('输入有误');
  await expect(form.getByTestId('person-service_card_number')).toHaveAttribute('aria-invalid', 'true');
  const row = page.locator('[data-testid="person"][data-login="tech.zhaoxin"]');
  await expect(row).toHaveCount(0);

  await form.getByTestId('person-service_card_number').fill('SC-2026-0901');
  await form.getByTestId('save-person').click();
  await expect(row).toHaveAttribute('data-active', 'true');
  const code = (await page.getByTestId('issued-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expect(page.getByTestId('audit-entry').first()).toHaveAttribute('data-action', 'person_created');

  // On his phone: the one-time code sets his password and logs him in. The
  // demo's visits are other technicians': he sees none of them.
  const phone = await phoneContext(browser, baseURL);
  const tech = await phone.newPage();
  const techErrors = collectPageErrors(tech);
  await tech.goto('/login');
  await expect(tech.locator('body[data-hydrated]')).toHaveCount(1);
  await tap(tech, tech.getByTestId('open-set-password'), true);
  await expect(tech).toHaveURL(/\/set-password$/);
  await tech.locator('#set-login').fill('tech.zhaoxin');
  await tech.locator('#set-code').fill(code.toLowerCase());
  await tech.locator('#set-password').fill('zhaoxin-2026-pass');
  await tap(tech, tech.getByTestId('set-password'), true);
  await expect(tech).toHaveURL(/\/$/);
  await expect(tech.getByTestId('signed-in-as')).toContainText('赵新');
  await expect(tech.getByTestId('no-visits')).toBeVisible();

  // A dispatcher puts an order on his lane: that one visit, and only it.
  const office = await newContext(browser, { baseURL, viewport: { width: 1440, height: 900 } });
  const desk = await office.newPage();
  await desk.goto('/login');
  await expect(desk.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(desk, 'dispatch.zhao', DEMO_PASSWORD, false);
  // Each role starts at its own desk.
  await expect(desk).toHaveURL(/\/desk$/);
  // Listening: the board will show the assignment without a reload.
  await expect(desk.getByTestId('live-status')).toHaveAttribute('data-live', 'true', { timeout: 15_000 });
  const field = (name: string) => desk.getByTestId(`intake-${name}`);
  await field('customer_name').fill('孙丽');
  await field('customer_phone').fill('139 0000 0901');
  await field('customer_address').fill('上海市浦东新区张杨路 500 号 3 号楼 801 室');
  await field('category').selectOption('washing_machine');
  await field('brand').fill('海尔');
  await field('model').fill('EG100');
  await field('serial_number').fill('EG100-2401-00901');
  await field('purchase_date').fill('2024-01-10');
  await field('warranty_end').fill('2029-01-10');
  await field('reported_fault').fill('不进水');
  await field('fault_category').selectOption('water_supply');
  await field('appointment_start').fill(shanghaiHour(0));
  await field('appointment_end').fill(shanghaiHour(2));
  await desk.getByTestId('intake-submit').click();
  await expect(desk.getByTestId('intake-taken')).toBeVisible();
  const order = desk.getByTestId('queued-order').filter({ hasText: '孙丽' });
  await expect(order).toHaveCount(1);
  await order.getByTestId('pick-order').click();
  const lane = desk.getByTestId('lane').filter({ has: desk.getByRole('heading', { name: '赵新' }) });
  await assignOnLane(desk, lane, lane.getByTestId('lane-visit').filter({ hasText: '孙丽' }));
  await tech.reload();
  await expect(tech.getByTestId('visit-card')).toHaveCount(1);
  await expect(tech.getByTestId('visit-card')).toContainText('孙丽');

  // Before he leaves, the dispatcher hands the visit to 李师傅: the
  // customer keeps the appointment (and the other tests their counts).
  await lane.getByTestId('lane-visit').filter({ hasText: '孙丽' }).getByTestId('open-visit').click();
  await lane.getByTestId('visit-detail').getByTestId('pick-visit').click();
  const liLane = desk.getByTestId('lane').filter({ has: desk.getByRole('heading', { name: '李师傅' }) });
  await assignOnLane(desk, liLane, liLane.getByTestId('lane-visit').filter({ hasText: '孙丽' }));
  await tech.reload();
  await expect(tech.getByTestId('no-visits')).toBeVisible();

  // The admin switches him off: his next request is refused, and his lane
  // leaves the desk.
  // Deactivating asks first; the admin's own row offers no switch.
  await expect(page.getByTestId('person').filter({ has: page.locator('code', { hasText: /^admin$/ }) }).getByTestId('switch-person')).toHaveCount(0);
  await row.getByTestId('switch-person').click();
  await expect(row.getByTestId('confirm-deactivate')).toContainText('停用赵新的账号？');
  await expect(row).toHaveAttribute('data-active', 'true');
  await row.getByTestId('cancel-switch').click();
  await expect(row.getByTestId('confirm-deactivate')).toBeHidden();
  await expect(row).toHaveAttribute('data-active', 'true');
  await row.getByTestId('switch-person').click();
  await row.getByTestId('confirm-switch').click();
  await expect(row).toHaveAttribute('data-active', 'false');
  await expect(page.getByTestId('audit-entry').first()).toHaveAttribute('data-action', 'person_deactivated');
  // The log reads in words: who, to whom, and what changed, no ids or JSON.
  const deactivated = page.getByTestId('audit-entry').first();
  await expect(deactivated.getByTestId('audit-subject')).toHaveText('人员：赵新');
  await expect(deactivated.getByTestId('audit-changes')).toHaveText('账号状态 启用 → 停用');
  await expect(page.getByTestId('audit-log')).not.toContainText('{');
  await expect(page.getByTestId('audit-log')).not.toContainText('_ms');
  await page.getByTestId('audit-log').screenshot({ path: 'screenshots/desktop-admin-audit.png' });
  const status = await tech.evaluate(async () =>
    (await fetch('/api/today/list', { method: 'POST', body: '' })).status,
  );
  expect(status).toBe(401);
  await tech.reload();
  await expect(tech).toHaveURL(/\/login$/);
  await desk.reload();
  await expect(desk.getByTestId('lane').filter({ has: desk.getByRole('heading', { name: '赵新' }) })).toHaveCount(0);

  await phone.close();
  await office.close();
  // The refused save (422) and the refused request (401) are logged by
  // Chromium itself; leaving the desk ends its live stream.
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  expect(techErrors.filter((e) => !e.includes('401') && !e.includes('ERR_ABORTED'))).toEqual([]);
});

test('an admin publishes a new fee schedule for one appliance category, a bad amount named first', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the admin desk is for desktop browsers');
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'admin', DEMO_PASSWORD, false);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/admin$/);
  const form = page.getByTestId('fees-form');
  const current = page.getByTestId('fees-version');
  await expect(current).toContainText('新派工单按第');
  const version = Number((await current.textContent())!.match(/第 (\d+) 版/)![1]);

  // Air conditioners: their list has the refrigerant top-up the others lack.
  await form.getByTestId('fees-category').selectOption('air_conditioner');
  const rows = form.getByTestId('fee-item');
  const codes = () => rows.getByTestId('fee-item-code').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  await expect.poll(codes).toContain('REFRIGERANT');
  const count = await rows.count();

  // A new item with an amount that is not money: refused, that field marked.
  await form.getByTestId('add-fee').click();
  await expect(rows).toHaveCount(count + 1);
  const added = rows.nth(count);
  // A code of its own, so a retry on the same database adds a new item too.
  const newCode = `FILTER-${Date.now() % 1_000_000}`;
  await added.getByTestId('fee-item-code').fill(newCode);
  await added.getByTestId('fee-item-name_zh').fill('滤网清洗');
  await added.getByTestId('fee-item-name_en').fill('Filter cleaning');
  await added.getByTestId('fee-item-amount').fill('六十');
  await form.getByTestId('publish-fees').click();
  await expect(page.getByTestId('fees-error')).toContainText('输入有误');
  await expect(added.getByTestId('fee-item-amount')).toHaveAttribute('aria-invalid', 'true');
  await expect(current).toContainText(`第 ${version} 版`);

  await added.getByTestId('fee-item-amount').fill('60');
  // Moved up one place, and read in the preview before publishing.
  await added.getByTestId('fee-up').click();
  await expect(rows.nth(count - 1).getByTestId('fee-item-code')).toHaveValue(newCode);
  await expect(rows.nth(count - 1).getByTestId('fee-down')).toBeEnabled();
  await expect(rows.nth(count).getByTestId('fee-down')).toBeDisabled();
  const preview = page.getByTestId('fees-preview');
  await expect(preview.getByTestId('preview-fee')).toHaveCount(count + 1);
  await expect(preview.getByTestId('preview-fee').nth(count - 1)).toContainText('滤网清洗');
  await expect(preview.getByTestId('preview-fee').nth(count - 1)).toContainText('¥60');
  await preview.screenshot({ path: 'screenshots/desktop-admin-fees-preview.png' });
  await form.getByTestId('publish-fees').click();
  await expect(page.getByTestId('fees-published')).toContainText(`已发布第 ${version + 1} 版收费标准`);
  await expect(current).toContainText(`第 ${version + 1} 版`);
  // The desk reloads on the category just published, with the new item.
  await expect(form.getByTestId('fees-category')).toHaveValue('air_conditioner');
  await expect.poll(codes).toEqual(expect.arrayContaining(['REFRIGERANT', newCode]));
  await expect(page.getByTestId('audit-entry').first()).toHaveAttribute('data-action', 'fee_schedule_published');
  await expect(page.getByTestId('audit-entry').first().getByTestId('audit-subject')).toHaveText(`收费标准 第 ${version + 1} 版 · 空调`);
  await expect(page.getByTestId('audit-entry').first().getByTestId('audit-changes')).toContainText('滤网清洗');
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
});
