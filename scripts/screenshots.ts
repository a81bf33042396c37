import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startDemoStack } from './demo-stack';

/**
 * `npm run screenshots`: the shopper's pages and the merchant portal at 375 px (an iPhone-sized
 * phone), as PNG files in docs/screenshots/, shown in docs/screenshots.md. The intake and the
 * desk run on SQLite with the demo data (scripts/demo-stack.ts); the portal is seen as demo-a's
 * merchant admin. Every PNG of the folder is replaced. CHROMIUM_PATH picks the browser
 * (default /usr/bin/chromium).
 */
const OUT = join(__dirname, '..', 'docs', 'screenshots');
const PHONE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
} as const;
const MERCHANT_ADMIN = 'admin@demo-a.madoguchi.test';

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
  });
}

const pad = (index: number) => String(index).padStart(2, '0');

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  // A status page's path is its secret token: not printed.
  const path = new URL(page.url()).pathname.replace(/^\/status\/.+/, '/status/{token}');
  console.log(`docs/screenshots/${name}.png  ${path}`);
}

async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(url, { waitUntil: 'load' });
  const status = response?.status() ?? 0;
  // The unknown shop is meant to answer 404; anything else must be a page.
  if (status >= 400 && !url.includes('no-such-shop')) throw new Error(`${url} answered ${status}`);
}

async function shopperPages(
  browser: Browser,
  urls: { intake: string; status: string; thanks: string },
) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await open(page, `${urls.intake}/s/demo-a-shop`);
  await shoot(page, 'shopper-1-form');
  await open(page, urls.thanks);
  await shoot(page, 'shopper-2-thank-you');
  await open(page, urls.status);
  await shoot(page, 'shopper-3-status');
  // The leak check: the code is mailed (kept in the outbox here); a wrong one shows the error.
  const leakCheck = page.locator('#leak-check');
  await Promise.all([page.waitForURL(/code=sent/), leakCheck.getByRole('button').first().click()]);
  const code = leakCheck.getByRole('textbox').first();
  await code.fill('000000');
  await Promise.all([page.waitForLoadState('load'), code.press('Enter')]);
  await page.locator('#leak-check').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'shopper-4-leak-check.png') });
  console.log('docs/screenshots/shopper-4-leak-check.png  (wrong code, in view)');
  await open(page, `${urls.intake}/s/demo-a-shop/incident`);
  await shoot(page, 'shopper-5-incident');
  await open(page, `${urls.intake}/s/no-such-shop`);
  await shoot(page, 'shopper-6-unknown-shop');
  await context.close();
}

async function portalPages(browser: Browser, desk: string, password: string) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await open(page, `${desk}/login`);
  await shoot(page, 'portal-00-login');
  await page.locator('input[name="email"]').fill(MERCHANT_ADMIN);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.locator('form button[type="submit"]').first().click(),
  ]);
  // Every page the portal's menu offers this merchant admin, in menu order, then one case.
  const links = await page.$$eval('a[href^="/portal"]', (anchors) =>
    anchors.map((anchor) => anchor.getAttribute('href') ?? ''),
  );
  const menu = [...new Set(links.filter((href) => /^\/portal\/[a-z-]+$/.test(href)))];
  let index = 1;
  for (const href of menu) {
    await open(page, `${desk}${href}`);
    await shoot(page, `portal-${pad(index++)}-${href.slice('/portal/'.length)}`);
  }
  await open(page, `${desk}/portal/cases`);
  const firstCase = page.locator('a[href^="/portal/cases/"]').first();
  if ((await firstCase.count()) > 0) {
    await open(page, `${desk}${await firstCase.getAttribute('href')}`);
    await shoot(page, `portal-${pad(index)}-case`);
  }
  await context.close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const file of readdirSync(OUT)) if (file.endsWith('.png')) rmSync(join(OUT, file));
  const stack = await startDemoStack();
  const browser = await launch();
  try {
    await shopperPages(browser, {
      intake: stack.intakeUrl,
      status: stack.statusUrl,
      thanks: stack.thanksUrl,
    });
    await portalPages(browser, stack.deskUrl, stack.demoPassword);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
