import { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, logIn, openDeskAsZhao, shanghaiTomorrow, takeNewCustomerOrder, DEMO_PASSWORD } from './helpers';

// Every page of the desk and the admin desk, in both languages, keeps to the
// design system in style/: no control or link as the browser draws it, and
// every word of the page's own text in the language chosen. What people
// typed (names, addresses, faults) is theirs and marked translate="no".

type Finding = string;

// What on the page the browser, not the design system, draws: links in the
// browser's blue or purple, controls in the browser's font, checkboxes and
// radios and selects in their native look, buttons with the grey face.
async function browserDefaults(page: Page): Promise<Finding[]> {
  return page.evaluate(() => {
    const findings: string[] = [];
    const shown = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    };
    const named = (element: Element) => {
      const testId = element.getAttribute('data-testid');
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 24);
      return `${element.tagName.toLowerCase()}${testId ? `[${testId}]` : ''}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''} "${text}"`;
    };
    const bodyFont = getComputedStyle(document.body).fontFamily;
    for (const link of document.querySelectorAll('a')) {
      if (!shown(link)) continue;
      const colour = getComputedStyle(link).color;
      if (['rgb(0, 0, 238)', 'rgb(85, 26, 139)', 'rgb(0, 0, 255)'].includes(colour)) findings.push(`browser link colour: ${named(link)}`);
    }
    for (const control of document.querySelectorAll('button, input, select, textarea')) {
      if (!shown(control)) continue;
      const style = getComputedStyle(control);
      const type = control.getAttribute('type') ?? '';
      if (type !== 'checkbox' && type !== 'radio' && style.fontFamily !== bodyFont) findings.push(`browser font: ${named(control)}`);
      if ((control.tagName === 'SELECT' || type === 'checkbox' || type === 'radio') && style.appearance !== 'none') {
        findings.push(`native ${type || 'select'}: ${named(control)}`);
      }
      if (control.tagName === 'BUTTON' && (style.borderStyle.includes('outset') || ['rgb(239, 239, 239)', 'rgb(240, 240, 240)'].includes(style.backgroundColor))) {
        findings.push(`browser button: ${named(control)}`);
      }
      if (control.tagName !== 'BUTTON' && type !== 'checkbox' && type !== 'radio' && style.borderTopColor === 'rgb(118, 118, 118)') {
        findings.push(`browser field border: ${named(control)}`);
      }
    }
    return findings;
  });
}

// The page's own words in the other language. Chinese on an English page is
// any Han character outside what people typed; English on a Chinese page is
// any lower-case word outside it (model numbers, CSV and PPM are upper case).
async function wordsInTheOtherLanguage(page: Page, lang: 'zh' | 'en'): Promise<Finding[]> {
  return page.evaluate((lang) => {
    const findings = new Set<string>();
    // What people typed, as the page marks it; the same name in an
    // attribute or a sentence is theirs too.
    const typed = [...document.querySelectorAll('[translate="no"]')]
      .map((element) => (element.textContent ?? '').trim())
      .filter((text) => text.length > 0)
      .sort((a, b) => b.length - a.length);
    const withoutTyped = (text: string) => typed.reduce((rest, name) => rest.split(name).join(' '), text);
    const foreign = lang === 'en' ? /[\u3400-\u9fff]+/g : /\b[A-Za-z]*[a-z]{2,}\b/g;
    // Latin words Chinese itself writes so: an app, kilometres on a map.
    const chineseToo = new Set(['App', 'km']);
    const walker = document.createTreeWalker(document.querySelector('main') ?? document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (parent.closest('[translate="no"], script, style, [hidden], [aria-hidden="true"]')) continue;
      const box = parent.getBoundingClientRect();
      if (box.width === 0 && box.height === 0 && !parent.closest('details, option, select')) continue;
      for (const word of withoutTyped(node.textContent ?? '').match(foreign) ?? []) if (lang === 'en' || !chineseToo.has(word)) findings.add(`"${word}" in ${parent.tagName.toLowerCase()}${parent.getAttribute('data-testid') ? `[${parent.getAttribute('data-testid')}]` : ''}`);
    }
    for (const element of document.querySelectorAll('main [placeholder], main [aria-label], main [title]')) {
      if (element.closest('[translate="no"]')) continue;
      for (const attribute of ['placeholder', 'aria-label', 'title']) {
        const value = withoutTyped(element.getAttribute(attribute) ?? '');
        for (const word of value.match(foreign) ?? []) if (lang === 'en' || !chineseToo.has(word)) findings.add(`"${word}" in ${attribute} of ${element.tagName.toLowerCase()}`);
      }
    }
    return [...findings];
  }, lang);
}

async function seriousAxeViolations(page: Page): Promise<Finding[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function checkPage(page: Page, what: string, lang: 'zh' | 'en', shot: string) {
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(page.locator('html')).toHaveAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
  await page.screenshot({ path: `screenshots/design/${lang}-${shot}.png`, fullPage: true });
  const findings = [
    ...(await browserDefaults(page)),
    ...(await wordsInTheOtherLanguage(page, lang)),
    ...(await seriousAxeViolations(page)),
  ];
  // Soft, so one run lists every page's findings.
  expect.soft(findings, `${what} (${lang})`).toEqual([]);
}

async function switchTo(page: Page, lang: 'zh' | 'en') {
  const languageSwitch = page.getByTestId('language-switch');
  await expect(languageSwitch).toHaveText(lang === 'en' ? 'English' : '中文');
  await languageSwitch.click();
  await expect(page.locator('html')).toHaveAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
}

test.beforeEach(({ isMobile }) => {
  test.skip(isMobile, 'the desk and the admin desk are for desktop browsers');
});

test('the dispatcher\'s pages keep to the design system, in Chinese and in English', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openDeskAsZhao(page);

  for (const lang of ['zh', 'en'] as const) {
    if (lang === 'en') {
      await switchTo(page, 'en');
    }
    await page.goto('/desk');
    await expect(page.getByTestId('lane').first()).toBeVisible();
    // The demo's queue is empty at first; one order, for tomorrow inside
    // working hours at any hour the suite runs, waits so the desk has
    // something to pick (earlier specs usually leave some).
    if (lang === 'zh' && (await page.getByTestId('queued-order').count()) === 0) {
      await takeNewCustomerOrder(page, {
        name: '欧阳晓梅', category: 'washing_machine', brand: '海尔', model: 'EG100MATE81SU1',
        fault: '脱水时机身晃动，有异响', faultCategory: 'noise', start: `${shanghaiTomorrow()}T10:00`, end: `${shanghaiTomorrow()}T12:00`,
      });
      await page.reload();
    }
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    // An order picked shows its suggestions; a visit opened shows its details.
    await page.getByTestId('pick-order').first().click();
    await expect(page.getByTestId('suggestion').first()).toBeVisible();
    await checkPage(page, 'the desk with an order picked', lang, 'desk');
    const customerHref = await page.getByTestId('customer-link').first().getAttribute('href');

    await page.goto('/queue');
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await page.locator('.work-card').first().getByTestId('open-card').click();
    await expect(page.locator('.work-card[data-open="true"]')).toHaveCount(1);
    await checkPage(page, 'the follow-up queue with a card open', lang, 'queue');

    await page.goto('/dashboard');
    await checkPage(page, 'the dashboard', lang, 'dashboard');

    await page.goto(customerHref!);
    await checkPage(page, 'a customer\'s file', lang, 'customer');
  }
});

test('the admin desk keeps to the design system, in Chinese and in English', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/login');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await logIn(page, 'admin', DEMO_PASSWORD, false);
  await expect(page).toHaveURL(/\/admin$/);
  for (const lang of ['zh', 'en'] as const) {
    if (lang === 'en') await switchTo(page, 'en');
    await page.goto('/admin');
    await expect(page.getByTestId('audit-log')).toBeVisible();
    // Every folded section open, so what it holds is checked too.
    for (const fold of await page.locator('main details:not([open]) > summary').all()) {
      if (await fold.isVisible()) await fold.click();
    }
    await checkPage(page, 'the admin desk, every section open', lang, 'admin');
  }
});
