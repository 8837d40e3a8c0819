import { Locator, Page } from '@playwright/test';
import { test, expect, collectPageErrors, logIn, openDeskAsZhao, shanghaiTomorrow, takeNewCustomerOrder, DEMO_PASSWORD } from './helpers';

// An air conditioner (or another appliance) for a new customer, tomorrow.
async function takeOrder(page: Page, name: string, category: string, brand: string, from: string, until: string) {
  const date = shanghaiTomorrow();
  await takeNewCustomerOrder(page, {
    name,
    category,
    brand,
    model: 'KFR-35GW',
    fault: '不制冷',
    faultCategory: 'not_cooling',
    start: `${date}T${from}`,
    end: `${date}T${until}`,
  });
}

async function expectInViewport(page: Page, locator: Locator) {
  await expect(locator).toBeVisible();
  const box = (await locator.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.y, 'below the top of the screen').toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, 'above the bottom of the screen').toBeLessThanOrEqual(viewport.height);
}

test('the desk refuses a technician without the skill with a sentence, and asks twice before an evening visit', async ({ page, isMobile }, testInfo) => {
  test.skip(isMobile, 'the desk is for desktop browsers');
  const errors = collectPageErrors(page);
  await openDeskAsZhao(page);
  await takeOrder(page, '钱空调', 'air_conditioner', '海尔', '10:00', '12:00');
  await takeOrder(page, '孙晚上', 'washing_machine', '小天鹅', '19:00', '21:00');
  await page.reload();
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  const lane = (name: string) => page.getByTestId('lane').filter({ has: page.getByRole('heading', { name }) });
  const queued = (name: string) => page.getByTestId('queued-order').filter({ hasText: name });
  const visitsBefore = await page.getByTestId('lane-visit').count();

  // Each lane says what its technician repairs and when they work.
  await expect(lane('李师傅').getByTestId('lane-hours')).toHaveText('工作时间 08:00–18:00');
  await expect(lane('周师傅').getByTestId('lane-brands')).toHaveText('仅限品牌：海尔');

  // An air conditioner to 李师傅, who repairs washers, dishwashers and
  // dryers: refused beside his button, in one sentence, nothing assigned.
  await queued('钱空调').getByTestId('pick-order').click();
  await lane('李师傅').getByTestId('assign-here').click();
  const refusal = lane('李师傅').getByTestId('lane-refusal');
  await expect(refusal).toHaveText('不能派单：该师傅不会修空调，请派给有此品类技能的师傅。');
  await expectInViewport(page, refusal);
  await expect(lane('李师傅').getByTestId('lane-confirm')).toHaveCount(0);
  await expect(queued('钱空调')).toHaveCount(1);
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/rules-1-refused.png' });

  // To 王师傅, who repairs them: assigned (confirming his day's load if
  // the demo's follow-ups fill tomorrow), off the queue.
  await lane('王师傅').getByTestId('assign-here').click();
  const wangAsked = lane('王师傅').getByTestId('lane-confirm');
  await expect
    .poll(async () => (await queued('钱空调').count()) === 0 || (await wangAsked.isVisible()))
    .toBe(true);
  if (await wangAsked.isVisible()) await wangAsked.getByTestId('assign-anyway').click();
  await expect(lane('王师傅').getByTestId('lane-refusal')).toHaveCount(0);
  await expect(queued('钱空调')).toHaveCount(0);
  await expect(refusal).toHaveCount(0);

  // A 19:00 visit for 李师傅, whose day ends at 18:00: asked first, in
  // his lane; nothing happens until the second press.
  await queued('孙晚上').getByTestId('pick-order').click();
  await expect(lane('李师傅').getByTestId('lane-refusal')).toHaveCount(0);
  await lane('李师傅').getByTestId('assign-here').click();
  const asked = lane('李师傅').getByTestId('lane-confirm');
  await expect(asked).toHaveAttribute('data-warnings', /outside_working_hours/);
  await expect(asked.getByTestId('lane-warning').filter({ hasText: '08:00–18:00' })).toHaveText(
    '上门时间不在师傅的工作时间 08:00–18:00 内。',
  );
  await expectInViewport(page, asked.getByTestId('assign-anyway'));
  await expect(queued('孙晚上')).toHaveCount(1);
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/rules-2-asked.png' });

  // The same in English, then the second press.
  await page.getByTestId('language-switch').click();
  await expect(asked.getByTestId('lane-warning').filter({ hasText: '08:00–18:00' })).toHaveText(
    "The time lies outside the technician's working hours, 08:00–18:00.",
  );
  await expect(asked.getByTestId('assign-anyway')).toHaveText('Assign to this technician anyway');
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/rules-3-asked-en.png' });
  await asked.getByTestId('assign-anyway').click();
  await expect(queued('孙晚上')).toHaveCount(0);
  await expect(asked).toHaveCount(0);
  // Both went to tomorrow: today's lanes are as they were.
  await expect(page.getByTestId('lane-visit')).toHaveCount(visitsBefore);
  await page.getByTestId('language-switch').click();

  // The refusal and the question are the server's answers (409), which
  // Chromium logs itself.
  expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
});

test('picking an order proposes up to three technicians with their arrival and why, and says why every other one was passed over', async ({ page, isMobile }, testInfo) => {
  test.skip(isMobile, 'the desk is for desktop browsers');
  const errors = collectPageErrors(page);
  await openDeskAsZhao(page);
  await takeOrder(page, '吴推荐', 'air_conditioner', '海尔', '14:00', '16:00');
  await page.reload();
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  const queued = page.getByTestId('queued-order').filter({ hasText: '吴推荐' });
  await queued.getByTestId('pick-order').click();
  const suggestions = queued.getByTestId('suggestions');
  await expect(suggestions.getByTestId('suggestion').first()).toBeVisible();

  // Up to three, each with the predicted arrival and the figures behind it.
  const best = suggestions.getByTestId('suggestion');
  const bestCount = await best.count();
  expect(bestCount).toBeGreaterThanOrEqual(1);
  expect(bestCount).toBeLessThanOrEqual(3);
  for (const one of await best.all()) {
    await expect(one.getByTestId('suggestion-arrives')).toHaveText(/^预计 \d\d:\d\d 到达$/);
    await expect(one.getByTestId('suggestion-why')).toContainText('当天已有');
  }
  // The home was taken without a location: said so, not guessed.
  await expect(suggestions.getByTestId('suggestions-unlocated')).toBeVisible();

  // Everyone else of the region, each with a reason: 李师傅 does not
  // repair air conditioners.
  const others = suggestions.getByTestId('passed-over');
  await others.locator('summary').click();
  const passed = others.getByTestId('passed-over-technician');
  const activeLanes = page.locator('[data-testid="lane"][data-active="true"]');
  expect(bestCount + (await passed.count())).toBe(await activeLanes.count());
  for (const one of await passed.all()) {
    const name = (await one.locator('strong').textContent())!;
    expect((await one.textContent())!.replace(name, '').trim().length, `${name}'s reason`).toBeGreaterThan(4);
  }
  const li = await page.getByTestId('lane').filter({ has: page.getByRole('heading', { name: '李师傅' }) }).getAttribute('data-technician');
  await expect(passed.and(page.locator(`[data-technician="${li}"]`))).toContainText('不能派单：该师傅不会修空调');
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/suggestions-zh.png' });

  // In English, the same reasons.
  await page.getByTestId('language-switch').click();
  await expect(best.first().getByTestId('suggestion-arrives')).toHaveText(/^Arrives about \d\d:\d\d$/);
  await expect(passed.and(page.locator(`[data-technician="${li}"]`))).not.toContainText('不能派单');
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: 'screenshots/desk/suggestions-en.png' });
  await page.getByTestId('language-switch').click();

  // Assigning from a suggestion: the first one's lane answers (a question
  // about a full day, if the demo fills tomorrow), and the order leaves the queue.
  const chosen = await best.first().getAttribute('data-technician');
  await best.first().getByTestId('assign-suggested').click();
  const asked = page.locator(`[data-testid="lane"][data-technician="${chosen}"]`).getByTestId('lane-confirm');
  await expect.poll(async () => (await queued.count()) === 0 || (await asked.isVisible())).toBe(true);
  if (await asked.isVisible()) await asked.getByTestId('assign-anyway').click();
  await expect(queued).toHaveCount(0);
  expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
});

test('an admin, who has no region of their own, opens the desk on a region and sees its day', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the desk is for desktop browsers');
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'admin', DEMO_PASSWORD, false);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto('/desk');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(page.getByTestId('lane').first()).toBeVisible();
  await expect(page.getByText('输入有误')).toHaveCount(0);
  // With more than one region, the picker shows each and the board follows it.
  const picker = page.getByTestId('desk-region');
  if ((await picker.count()) > 0) {
    const options = await picker.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
  }
  expect(errors.filter((e) => !e.includes('/api/desk/events'))).toEqual([]);
});
