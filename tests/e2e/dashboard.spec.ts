import * as fs from 'fs';
import { test, expect, collectPageErrors, logIn, serverNow, DEMO_PASSWORD } from './helpers';

// The date `days` before the server's today in Beijing: YYYY-MM-DD.
function beijingDate(daysBack: number): string {
  return new Date(serverNow() + 8 * 3600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);
}

// The demo's eight technicians all worked in any whole month of its six
// months of history; in the current month that depends on the day (on the
// 1st only today's two lanes are in it), so the exact figures are read
// from a month that lies wholly in the past, whatever day the test runs.
const PAST_MONTH = beijingDate(40);

test('a dispatcher reads the service-quality dashboard, filters it, ranks the quarter and exports CSV', async ({ page, isMobile }, testInfo) => {
  test.skip(isMobile, 'the dashboard is for desktop browsers');
  const errors = collectPageErrors(page);
  const shot = (step: string) =>
    page.screenshot({ path: `screenshots/${testInfo.project.name}-dashboard-${step}.png`, fullPage: true });

  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'dispatch.zhao', DEMO_PASSWORD, isMobile);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/desk$/);
  await page.getByTestId('open-dashboard').click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);

  // This month, the dispatcher's region: every figure, and a scorecard at
  // least for the two technicians with visits today (a figure with nothing
  // due yet, early on the 1st, shows a dash).
  await expect(page.getByTestId('figure')).toHaveCount(10);
  await expect(page.locator('[data-figure="on_time"] [data-testid="figure-value"]')).toHaveText(/^(\d+\.\d%|—)$/);
  await expect(page.getByTestId('scorecard').filter({ hasText: '王师傅' })).toHaveCount(1);
  await expect(page.getByTestId('scorecard').filter({ hasText: '李师傅' })).toHaveCount(1);

  // A month wholly in the past: every figure with its trend, in the
  // server's HTML before any WASM runs, and all eight technicians.
  const pastMonth = `/dashboard?period=month&date=${PAST_MONTH}`;
  const served = await (await page.request.get(pastMonth)).text();
  expect(served.match(/data-testid="trend-chart"/g)?.length).toBe(10);
  expect(served).toContain('<polyline');
  await page.goto(pastMonth);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(page.getByTestId('figure')).toHaveCount(10);
  await expect(page.locator('[data-figure="on_time"] [data-testid="figure-value"]')).toHaveText(/^\d+\.\d%$/);
  await expect(page.locator('[data-figure="complaint_ppm"] .figure-card__target')).toContainText('10 PPM');
  await expect(page.getByTestId('scorecard')).toHaveCount(8);
  // Each chart has its axes: values up the side, the first, middle and last
  // day along the bottom, and the 10 PPM target dashed where it applies.
  const complaints = page.locator('[data-figure="complaint_ppm"] [data-testid="trend-chart"]');
  await expect(complaints.getByTestId('trend-x')).toHaveCount(3);
  await expect(complaints.getByTestId('trend-x').first()).toHaveText(/^\d{2}-\d{2}$/);
  await expect(complaints.getByTestId('trend-target')).toHaveCount(1);
  await expect(page.locator('[data-figure="on_time"] [data-testid="trend-target"]')).toHaveCount(0);
  // A day's value on hover over its point; every value while the chart
  // has the keyboard's focus.
  const onTime = page.locator('[data-figure="on_time"] [data-testid="trend-chart"]');
  // Clear of the sticky header.
  await onTime.evaluate((chart) => chart.scrollIntoView({ block: 'center' }));
  const point = onTime.getByTestId('trend-point').nth(3);
  await expect(point.locator('.trend-chart__tip')).toBeHidden();
  await point.hover();
  await expect(point.locator('.trend-chart__tip')).toBeVisible();
  await expect(point.locator('.trend-chart__tip')).toHaveText(/^\d+\.\d%$/);
  await onTime.focus();
  await expect(onTime.locator('.trend-chart__tip').last()).toBeVisible();
  // The cards use the width of a desktop screen: four to a row at 1440.
  const cards = page.getByTestId('figure');
  const [first, fourth] = [(await cards.nth(0).boundingBox())!, (await cards.nth(3).boundingBox())!];
  expect(Math.abs(first.y - fourth.y)).toBeLessThan(2);
  await shot('1-month');

  // A week, then one technician.
  await page.getByTestId('filter-period').selectOption('week');
  await page.getByTestId('filter-show').click();
  await expect(page).toHaveURL(/period=week/);
  await expect(page.getByTestId('period-summary')).toContainText('至');
  await page.getByTestId('filter-period').selectOption('month');
  await page.getByTestId('filter-technician').selectOption({ label: '李师傅' });
  await page.getByTestId('filter-show').click();
  await expect(page).toHaveURL(/technician=/);
  await expect(page.getByTestId('scorecard')).toHaveCount(1);
  await expect(page.getByTestId('scorecard')).toContainText('李师傅');
  await shot('2-one-technician');

  // The quarter's service stars, from the same figures: a quarter wholly
  // in the history has technicians with enough services to rank.
  await page.getByTestId('filter-technician').selectOption('');
  await page.getByTestId('filter-show').click();
  await page.getByTestId('stars-link').click();
  await expect(page).toHaveURL(/period=quarter/);
  await expect(page.getByTestId('stars')).toBeVisible();
  await expect(page.getByTestId('stars')).toContainText('服务之星');
  await page.goto(`/dashboard?period=quarter&date=${beijingDate(100)}`);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  expect(await page.getByTestId('star').count()).toBeGreaterThan(0);
  // The ranking beside the scorecards.
  const [stars, scorecards] = [
    (await page.getByTestId('stars').boundingBox())!,
    (await page.getByTestId('scorecards').boundingBox())!,
  ];
  expect(stars.x + stars.width).toBeLessThanOrEqual(scorecards.x);
  expect(Math.abs(stars.y - scorecards.y)).toBeLessThan(2);
  await shot('3-stars');

  // The figures as CSV, in Chinese, then in English after switching.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-figures').click(),
  ]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('服务标准指标,数值,计数,总数,目标');
  expect(text).toContain('准时上门率,');
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Service quality');
  await expect(page.getByTestId('export-figures')).toHaveAttribute('href', /lang=en/);
  const [english] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-figures').click(),
  ]);
  const englishText = fs.readFileSync((await english.path())!, 'utf8');
  expect(englishText).toContain('On-time arrival,');
  await page.getByTestId('language-switch').click();

  // Leaving the desk closes its live event stream: an abort, not an error.
  expect(errors.filter((e) => !/\/api\/desk\/events net::ERR_ABORTED/.test(e))).toEqual([]);
});

test('the dashboard prints its charts', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the dashboard is for desktop browsers');
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'dispatch.zhao', DEMO_PASSWORD, isMobile);
  // Each role starts at its own desk.
  await expect(page).toHaveURL(/\/desk$/);
  await page.goto('/dashboard');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('dashboard-filters')).toBeHidden();
  await expect(page.getByTestId('trend-chart').first()).toBeVisible();
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(10_000);
});
