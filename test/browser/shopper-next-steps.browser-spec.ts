import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import {
  axeViolations,
  layoutProblems,
  PHONE_LAYOUT_CONTEXT,
  renderedLines,
} from '../support/phone-layout';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

// The project compiles without the DOM lib, so code that runs in the page is passed as text.
const BADGE_COLOURS = `(() => {
  const badge = document.querySelector('.status-badge');
  const style = getComputedStyle(badge);
  return { text: badge.textContent.trim(), background: style.backgroundColor, color: style.color };
})()`;
// An alarm-red brand, like the demo shop's: the badge must not take it.
const RED_BRAND = '#d0021b';

/**
 * Issue 19, "the shopper knows what happens next", at 375 px in Chromium: the thank-you page
 * says where the receipt went (masked) and when the answer is due, the status page's 受付済み
 * badge is an informative colour (not the red brand) that passes axe's contrast check, and an
 * unknown shop's address offers the phone window.
 */
describe(`what happens next, on a phone (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let origin: string;
  let tenant: TestTenant;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    origin = await listenOnLoopback(intake);
    // The demo shop's name: at 375 px its header wraps just before 「窓口」.
    tenant = await createTestTenant(testEnv.dataSource, {
      brandColor: RED_BRAND,
      siteName: 'デモA オンラインショップ',
    });
    browser = await launchBrowser();
    context = await browser.newContext(PHONE_LAYOUT_CONTEXT);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should show the masked receipt address and the due on the thank-you page', async () => {
    await page.goto(`${origin}/s/${tenant.site.slug}`);
    await page.locator('#f-name').fill(VALID_INQUIRY.name);
    await page.locator('#f-email').fill(VALID_INQUIRY.email);
    await page.locator('#f-category').selectOption(VALID_INQUIRY.category);
    await page.locator('#f-message').fill(VALID_INQUIRY.message);
    await page.locator('#f-consent').check();
    await Promise.all([
      page.waitForURL(/\/thanks\?/),
      page.locator('form.form button[type="submit"]').click(),
    ]);
    await expectTextOf(page, '.receipt-address', 'h***@e***.jp');
    const expected = await page.locator('.expected-answer').innerText();
    expect(expected).toMatch(/^回答の目安\s*通常、1営業日以内（\d+月\d+日\(.\) \d\d:\d\d 頃まで）/);
    expect(await page.content()).not.toContain(VALID_INQUIRY.email);
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
    // The shop's header wraps at its space: 「お問い合わせ窓口」 whole, never 「…窓」/「口」.
    expect(await renderedLines(page, '.site-header__name')).toEqual([
      ['デモAオンラインショップ', 'お問い合わせ窓口'],
    ]);
    await page.screenshot({ path: screenshotPath('shopper-thanks-masked'), fullPage: true });
  });

  it('should draw 受付済み in an informative colour, not the red brand, with AA contrast', async () => {
    const submitted = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    await page.goto(submitted.body.statusUrl.replace(/^https?:\/\/[^/]+/, origin));
    const badge = await page.evaluate<{ text: string; background: string; color: string }>(
      BADGE_COLOURS,
    );
    expect(badge.text).toBe('受付済み');
    expect(badge.background).not.toBe('rgb(208, 2, 27)');
    expect(badge.background).toBe('rgb(232, 240, 251)');
    expect(badge.color).toBe('rgb(31, 78, 140)');
    await expectTextOf(page, '.expected-answer', '回答の目安');
    // axe checks every text's contrast, the badge's among them.
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
  });

  it('should offer the phone window at an unknown shop’s address, with 404', async () => {
    const response = await page.goto(`${origin}/s/no-such-shop`);
    expect(response?.status()).toBe(404);
    const phone = page.locator('a.phone-link');
    expect(await phone.getAttribute('href')).toBe('tel:+81367447492');
    expect(await phone.innerText()).toBe('03-6744-7492');
    expect(await axeViolations(page)).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
  });
});

async function expectTextOf(page: Page, selector: string, text: string): Promise<void> {
  expect(await page.locator(selector).innerText()).toContain(text);
}
