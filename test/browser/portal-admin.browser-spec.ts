import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Merchant, Site } from '@madoguchi/tenancy';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { MERCHANTS_TEXTS } from '../../apps/desk/src/admin/merchants/merchants.texts';
import { SITES_TEXTS } from '../../apps/desk/src/admin/sites/sites.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';

/** A laptop, where merchant staff and operators spend their day. */
const LAPTOP_CONTEXT = {
  viewport: { width: 1366, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
};

/**
 * Issue 5's "done when": a merchant viewer reads its cases and statistics from an allowed
 * network and is refused from any other; an admin sets up a merchant and a site, and the
 * intake form serves the new site at once.
 */
describe(`merchant portal and admin in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let intakeOrigin: string;
  let deskOrigin: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const open = async (options: object): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  };

  const logIn = async (page: Page, email: string, landing: string): Promise<void> => {
    await page.goto(`${deskOrigin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(`${deskOrigin}${landing}`),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    // Behind a trusted proxy the client address comes from X-Forwarded-For: the test picks it.
    desk = await startDeskApp(testEnv, { TRUST_PROXY: 'true' });
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should show a merchant viewer its cases and charts from an allowed network and refuse any other', async () => {
    const tenant = await createTestTenant(testEnv.dataSource, { merchantName: '株式会社もみじ' });
    await testEnv.dataSource.manager.update(Merchant, tenant.merchant.id, {
      allowedIpRanges: ['203.0.113.0/24'],
    });
    const viewer = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenant.merchant.id,
    });
    const references: string[] = [];
    for (const message of ['一件目のお問い合わせです。', '二件目のお問い合わせです。']) {
      const response = await fetch(`${intakeOrigin}/api/v1/sites/${tenant.site.slug}/inquiries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...VALID_INQUIRY, message }),
      });
      expect(response.status).toBe(201);
      references.push(((await response.json()) as { reference: string }).reference);
    }

    const page = await open(LAPTOP_CONTEXT);
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '203.0.113.10' });
    await logIn(page, viewer.email, '/portal/cases');
    for (const reference of references) {
      await page.locator(`tr[data-reference="${reference}"]`).waitFor();
      expect(await page.getByRole('link', { name: reference }).count()).toBe(1);
    }
    await page.screenshot({ path: screenshotPath('portal-cases'), fullPage: true });

    const stats = await page.goto(`${deskOrigin}/portal/stats`);
    expect(stats?.status()).toBe(200);
    await page.locator('svg title').first().waitFor({ state: 'attached' });
    expect(await page.locator('svg').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('portal-stats'), fullPage: true });

    // From outside the merchant's networks, the same session gets the refusal page.
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '198.51.100.7' });
    const refused = await page.goto(`${deskOrigin}/portal/cases`);
    expect(refused?.status()).toBe(403);
    await page.getByRole('heading', { level: 1, name: SHARED_TEXTS.ipRefused.title }).waitFor();
    const alert = (await page.getByRole('alert').textContent()) ?? '';
    expect(alert).toContain(SHARED_TEXTS.ipRefused.message);
    expect(alert).toContain('198.51.100.7');
    expect(alert).toContain(SHARED_TEXTS.ipRefused.merchantContact);
    expect(await page.locator('tr[data-reference]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('portal-ip-refused'), fullPage: true });
  }, 60_000);

  it('should let an admin create a merchant and a site that the intake serves at once', async () => {
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const suffix = randomBytes(3).toString('hex');
    const code = `kaede-${suffix}`;
    const slug = `kaede-shop-${suffix}`;
    const displayName = `かえで商店 ${suffix}`;

    const page = await open(LAPTOP_CONTEXT);
    await logIn(page, admin.email, '/');
    await page.goto(`${deskOrigin}/admin/merchants`);
    await page.getByRole('heading', { level: 1, name: MERCHANTS_TEXTS.list.heading }).waitFor();

    const merchantForm = page.locator('form[action="/admin/merchants"]');
    await merchantForm.locator('[name="code"]').fill(code);
    await merchantForm.locator('[name="name"]').fill('株式会社かえで');
    await merchantForm.locator('[name="notificationEmails"]').fill(`notify-${suffix}@kaede.test`);
    await merchantForm.locator('[name="retentionDays"]').fill('365');
    await Promise.all([
      page.waitForURL(/\/admin\/merchants\/\d+\?done=merchantCreated$/),
      merchantForm.getByRole('button', { name: MERCHANTS_TEXTS.list.create }).click(),
    ]);
    expect(await page.getByRole('status').first().textContent()).toContain(
      MERCHANTS_TEXTS.notices.merchantCreated,
    );
    const merchant = await testEnv.dataSource.manager.findOneByOrFail(Merchant, { code });

    const siteForm = page.locator(`form[action="/admin/merchants/${merchant.id}/sites"]`);
    await siteForm.locator('[name="slug"]').fill(slug);
    await siteForm.locator('[name="displayName"]').fill(displayName);
    await siteForm.locator('[name="brandColor"]').fill('#b5451b');
    await siteForm.locator('[name="senderName"]').fill('かえで お問い合わせ窓口');
    await siteForm.locator('[name="phoneCode"]').fill(String(100 + (parseInt(suffix, 16) % 900)));
    await siteForm.locator('[name="intakeOpen"]').check();
    await Promise.all([
      page.waitForURL(/\/admin\/sites\/\d+\?done=siteCreated$/),
      siteForm.getByRole('button', { name: MERCHANTS_TEXTS.merchant.addSite }).click(),
    ]);
    expect(await page.getByRole('status').first().textContent()).toContain(
      SITES_TEXTS.notices.siteCreated,
    );
    const site = await testEnv.dataSource.manager.findOneByOrFail(Site, { slug });
    expect(site.merchantId).toBe(merchant.id);
    expect(site.intakeOpen).toBe(true);

    // The intake serves the new site straight away.
    const shopper = await open(LAPTOP_CONTEXT);
    const response = await shopper.goto(`${intakeOrigin}/s/${slug}`);
    expect(response?.status()).toBe(200);
    expect(await shopper.locator('body').textContent()).toContain(displayName);
    expect(await shopper.locator('form').count()).toBeGreaterThan(0);
    await shopper.screenshot({ path: screenshotPath('admin-new-site-intake'), fullPage: true });
  }, 60_000);
});
