import { test, expect, assignOnLane, collectPageErrors, logIn, phoneContext, tap, shanghaiHour, takeNewCustomerOrder, DEMO_PASSWORD } from './helpers';

test('a dispatcher takes an order for a new customer, assigns it, and sees the check-in live', async ({ page, browser, isMobile, baseURL }, testInfo) => {
  test.skip(isMobile, 'the desk is for desktop browsers');
  const errors = collectPageErrors(page);
  const shot = (step: string) =>
    page.screenshot({ path: `screenshots/${testInfo.project.name}-desk-${step}.png`, fullPage: true });

  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'dispatch.zhao', DEMO_PASSWORD, isMobile);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/desk$/);
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
  await expect(page.getByTestId('lane')).toHaveCount(8);
  const queued = page.getByTestId('queued-order');
  const queuedBefore = await queued.count();

  // The customer's call, typed with the keyboard; the phone number is
  // wrong, the model forgotten and the place typed longitude first.
  const field = (name: string) => page.getByTestId(`intake-${name}`);
  const fieldError = (name: string) => page.getByTestId(`intake-${name}-error`);
  await field('customer_name').fill('林晓');
  await field('customer_phone').fill('12345');
  await field('customer_address').fill('上海市浦东新区锦绣路 1500 号 12 号楼 502 室');
  await field('customer_location').fill('121.5451, 31.2133');
  await field('category').selectOption('washing_machine');
  await field('brand').fill('小天鹅');
  await field('serial_number').fill('TG100V-2208-00917');
  await field('purchase_date').fill('2022-08-20');
  await field('warranty_end').fill('2027-08-20');
  await field('reported_fault').fill('脱水时剧烈晃动，有异响');
  await field('fault_category').selectOption('noise');
  await field('appointment_start').fill(shanghaiHour(0));
  await field('appointment_end').fill(shanghaiHour(3));
  // The address is read whole in the one-column form.
  const address = await field('customer_address').evaluate((input: HTMLInputElement) => input.scrollWidth <= input.clientWidth);
  expect(address).toBe(true);
  await page.getByTestId('intake-submit').click();
  // Every problem at once, each under its field; nothing is sent.
  await expect(fieldError('customer_phone')).toHaveText(/11 位手机号/);
  await expect(fieldError('model')).toHaveText(/必填/);
  await expect(fieldError('customer_location')).toHaveText(/写反/);
  await expect(fieldError('customer_name')).toBeHidden();
  await expect(field('customer_phone')).toHaveAttribute('aria-invalid', 'true');
  await expect(field('customer_phone')).toBeFocused();
  await expect(page.getByTestId('intake-error')).toHaveText('有 3 项需要修改，已在各项下方标出。');
  await expect(queued).toHaveCount(queuedBefore);
  await shot('1-refused-fields');

  // Each problem goes as its field is changed.
  await field('customer_phone').fill('139 1234 5678');
  await expect(fieldError('customer_phone')).toBeHidden();
  await expect(field('customer_phone')).toHaveAttribute('aria-invalid', 'false');
  await expect(fieldError('model')).toBeVisible();
  await field('model').fill('TG100V');
  await field('customer_location').fill('31.2133, 121.5451');
  await expect(fieldError('customer_location')).toBeHidden();
  await page.getByTestId('intake-submit').click();
  const taken = page.getByTestId('intake-taken');
  await expect(taken).toContainText('已建立：林晓');
  const number = (await page.getByTestId('intake-order-number').textContent()) ?? '';
  expect(number).toMatch(/^[0-9A-F]{5}-[0-9A-F]{5}$/);
  await expect(field('customer_name')).toHaveValue('');
  const order = queued.filter({ hasText: '林晓' });
  await expect(order).toHaveCount(1);
  await expect(order.getByTestId('order-number')).toHaveText(number);
  await expect(order.getByTestId('order-due')).toHaveText(/^须于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前上门/);
  await shot('1b-taken');
  // The place typed is the customer's.
  const found = await page.request.post('/api/customers/find', {
    form: { query: '林晓' },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(found.ok()).toBe(true);
  const matches = await found.json();
  expect(matches[0].customer.coordinates).toEqual([31.2133, 121.5451]);

  // Assign with the keyboard: pick the order, then the technician's lane.
  await order.getByTestId('pick-order').focus();
  await page.keyboard.press('Enter');
  await expect(order.getByTestId('pick-order')).toHaveAttribute('aria-pressed', 'true');
  // The map beside the queue draws every lane's route and rings the order
  // picked, at the place typed for it.
  const map = page.getByTestId('board-map');
  await expect(map).toBeVisible();
  await expect(map.getByTestId('map-route')).toHaveCount(8);
  expect(await map.getByTestId('map-visit').count()).toBeGreaterThan(0);
  const orderId = await order.getAttribute('data-order');
  await expect(map.locator(`[data-testid="map-order"][data-order="${orderId}"]`)).toHaveAttribute('data-ringed', 'true');
  // 李师傅 (tech.li): the other tests count tech.wang's day.
  const liLane = page.getByTestId('lane').filter({ has: page.getByRole('heading', { name: '李师傅' }) });
  const onBoard = liLane.getByTestId('lane-visit').filter({ hasText: '林晓' });
  await assignOnLane(page, liLane, onBoard, true);
  await expect(onBoard.getByTestId('lane-visit-status')).toHaveText('待出发');
  await expect(queued.filter({ hasText: '林晓' })).toHaveCount(0);
  await shot('2-assigned');

  // tech.li, on his phone in another browser context, sets off and checks in.
  const phone = await phoneContext(browser, baseURL);
  const tech = await phone.newPage();
  await tech.goto('/login');
  await expect(tech.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(tech, 'tech.li', DEMO_PASSWORD, true);
  await expect(tech).toHaveURL(/\/$/);
  await tap(tech, tech.getByTestId('visit-card').filter({ hasText: '林晓' }).getByTestId('open-visit'), true);
  await expect(tech.getByRole('heading', { level: 1 })).toHaveText('林晓');
  await tap(tech, tech.getByTestId('next-step'), true);
  await expect(tech.getByTestId('visit-status')).toHaveText('在路上');

  // The board follows without a reload.
  await expect(onBoard.getByTestId('lane-visit-status')).toHaveText('在路上', { timeout: 5_000 });
  await tap(tech, tech.getByTestId('next-step'), true);
  await tap(tech, tech.getByTestId('confirm-arrival'), true);
  await expect(tech.getByTestId('visit-status')).toHaveText('已到达');
  await expect(onBoard.getByTestId('lane-visit-status')).toHaveText('已到达', { timeout: 5_000 });
  await shot('3-live');
  await phone.close();

  // A repeat customer: found by name, their washing machine on file with its
  // warranty; the new order reuses both, and their file shows every visit.
  await page.getByTestId('customer-search').fill('王秀英');
  await page.getByTestId('customer-search').press('Enter');
  const match = page.getByTestId('customer-match');
  await expect(match).toHaveCount(1);
  await expect(match.getByTestId('use-appliance').first()).toContainText(/在保|已过保|保修期未知/);
  await match.getByTestId('use-appliance').first().click();
  await expect(page.getByTestId('chosen-customer')).toContainText('王秀英');
  await expect(page.getByTestId('chosen-appliance')).toBeVisible();
  await expect(field('customer_name')).toBeHidden();
  // Their place is on file: shown, and not asked again.
  await expect(page.getByTestId('chosen-customer')).toContainText(/位置：\d+\.\d+, \d+\.\d+/);
  await expect(field('customer_location')).toBeHidden();
  await field('reported_fault').fill('门封老化，运行时漏水');
  await field('appointment_start').fill(shanghaiHour(1));
  await field('appointment_end').fill(shanghaiHour(3));
  await page.getByTestId('intake-submit').click();
  const repeat = queued.filter({ hasText: '王秀英' });
  await expect(repeat).toHaveCount(1);
  await shot('4-repeat-customer');
  await repeat.getByTestId('customer-link').click();
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('王秀英');
  await expect(page.getByTestId('file-appliance').first()).toBeVisible();
  await expect(page.getByTestId('file-visit').first()).toBeVisible();
  await shot('5-customer-file');
  await page.goBack();
  await expect(page).toHaveURL(/\/desk$/);

  // Still usable 1024 wide on a busy morning: nothing wider than the
  // window, and the board beside intake rather than below it however many
  // orders wait in the queue.
  for (let waiting = await queued.count(); waiting < 12; waiting += 1) {
    await takeNewCustomerOrder(page, {
      name: `排队客户${waiting}`, category: 'refrigerator', brand: '美的', model: 'BCD-516WKPZM',
      fault: '冷藏室不制冷', faultCategory: 'not_cooling', start: shanghaiHour(2), end: shanghaiHour(4),
    });
  }
  await page.reload();
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  expect(await queued.count()).toBeGreaterThanOrEqual(12);
  await page.setViewportSize({ width: 1024, height: 768 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  const intakeBox = await page.getByTestId('intake').boundingBox();
  const boardBox = await page.getByTestId('lane').first().boundingBox();
  expect(intakeBox && boardBox).toBeTruthy();
  expect(boardBox!.x).toBeGreaterThanOrEqual(intakeBox!.x + intakeBox!.width);
  expect(boardBox!.x + boardBox!.width).toBeLessThanOrEqual(1024);
  expect(boardBox!.y).toBeLessThan(768);
  // Nor is anything on the desk cut off at the window's right edge. What a
  // box clips on purpose (a block's text ending in an ellipsis) is drawn
  // only as far as that box, so that is where it is measured to end.
  const pastTheEdge = await page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        let right = box.right;
        for (let outer = element.parentElement; outer; outer = outer.parentElement) {
          if (getComputedStyle(outer).overflowX !== 'visible') right = Math.min(right, outer.getBoundingClientRect().right);
        }
        return box.width > 0 && right > window.innerWidth + 0.5;
      })
      .map((element) => `${element.tagName}.${element.className}`)
      .slice(0, 5),
  );
  expect(pastTheEdge).toEqual([]);
  await shot('6-1024');
  // The refused intake (422) and an assignment the desk asked about first
  // (409) are logged by Chromium itself; leaving the desk for the
  // customer's file closes the board's event stream on purpose.
  expect(
    errors.filter(
      (e) => !e.includes('422') && !e.includes('409') && !e.includes('/api/desk/events net::ERR_ABORTED'),
    ),
  ).toEqual([]);
});
