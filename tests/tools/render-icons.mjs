// Renders public/icon.svg to the PNG sizes the web app manifest lists
// (browsers ask for 192 and 512 px PNGs to offer installing the app).
// Run from tests/ (it has Playwright): node tools/render-icons.mjs
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));
const svg = readFileSync(publicDir + 'icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  await page.screenshot({ path: `${publicDir}icon-${size}.png`, omitBackground: true });
  await page.close();
}
await browser.close();
