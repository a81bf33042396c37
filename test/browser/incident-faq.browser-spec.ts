import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '@madoguchi/auth';
import {
  AnswerTemplateService,
  AnswerTemplateVersion,
  IncidentService,
} from '@madoguchi/incidents';
import { FaqPageStat } from '@madoguchi/incident-response';
import { Ticket } from '@madoguchi/tickets';
import { FAQ_STATS_TEXTS } from '../../apps/desk/src/web/parts/faq-stats.texts';
import { INCIDENT_PAGE_TEXTS } from '../../apps/intake/src/incident-page/incident-page.texts';
import { INQUIRY_FORM_TEXTS } from '../../apps/intake/src/inquiry/inquiry-form.texts';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';

const T = INQUIRY_FORM_TEXTS;
const P = INCIDENT_PAGE_TEXTS;
const PHONE_WIDTH = 375;
// The project compiles without the DOM lib, so code that runs in the page is passed as text.
const SCROLL_WIDTH = 'document.documentElement.scrollWidth';

const LAPTOP_CONTEXT = {
  viewport: { width: 1280, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
};

/**
 * Issue 13's "done when": a shopper reads the incident page before writing (a 375 px phone,
 * no JavaScript), goes on to the form from it and writes; the merchant's statistics count the
 * view and the inquiry sent after reading.
 */
describe(`public incident page in a phone browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let intakeOrigin: string;
  let deskOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let merchantAdmin: User;
  const contexts: BrowserContext[] = [];

  const newPage = async (options: object): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    tenant = await createTestTenant(testEnv.dataSource, {
      merchantName: '株式会社つばめ',
      siteName: 'つばめ雑貨店',
    });
    const operator = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
      displayName: 'つばめ 管理者',
    });
    // The operator records the incident and drafts a public answer; the merchant approves it
    // (the approval pages have their own tests).
    const actor = { userId: operator.id, ip: null };
    const incident = await desk.get(IncidentService).create(
      {
        title: '2026年11月 会員情報の流出',
        description: '会員情報を含むファイルが外部に持ち出されました。',
        leakedItems: '氏名、メールアドレス',
        merchants: [{ merchantId: tenant.merchant.id, affected: true, noticeDate: '2026-11-20' }],
      },
      actor,
    );
    const templates = desk.get(AnswerTemplateService);
    const template = await templates.create(
      incident.id,
      {
        title: 'クレジットカードは今後も使えますか',
        purpose: 'faq',
        body: '{{site}}では、安全が確認できるまでカード決済を停止しています。\n\nカード番号が流出した可能性がある方には、{{merchant}}から個別にご連絡します。ご連絡がない場合、対象ではありません。',
      },
      actor,
    );
    const version = await testEnv.dataSource.manager.findOneByOrFail(AnswerTemplateVersion, {
      templateId: template.id,
      version: 1,
    });
    await templates.decide(
      testMerchantScope(tenant.merchant.id),
      version.id,
      { decision: 'approved', comment: '' },
      { userId: merchantAdmin.id, ip: null },
    );
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should let a shopper read the incident page before writing, and count it', async () => {
    const phone = await newPage({ ...PHONE_CONTEXT, javaScriptEnabled: false });
    // The form links the page above its fields.
    await phone.goto(`${intakeOrigin}/s/${tenant.site.slug}`);
    const link = phone.getByRole('link', { name: P.formLink });
    await link.waitFor();
    const linkBox = await link.boundingBox();
    const nameBox = await phone.getByLabel(T.fields.name.label).boundingBox();
    expect(linkBox && nameBox && linkBox.y < nameBox.y).toBe(true);
    await Promise.all([phone.waitForURL(/\/incident$/), link.click()]);

    // The page: the approved answer, filled for the site; readable on a phone.
    await phone.getByRole('heading', { level: 1, name: P.heading }).waitFor();
    await phone.getByRole('heading', { name: 'クレジットカードは今後も使えますか' }).waitFor();
    await phone
      .getByText('つばめ雑貨店では、安全が確認できるまでカード決済を停止しています。')
      .waitFor();
    await phone.getByText('株式会社つばめから個別にご連絡します', { exact: false }).waitFor();
    expect(await phone.evaluate<number>(SCROLL_WIDTH)).toBeLessThanOrEqual(PHONE_WIDTH);
    await phone.screenshot({ path: screenshotPath('incident-faq-phone'), fullPage: true });

    // Still worried: on to the form, and write.
    await Promise.all([
      phone.waitForURL(/from_faq=1/),
      phone.getByRole('link', { name: P.toForm }).click(),
    ]);
    await phone.getByLabel(T.fields.name.label).fill(VALID_INQUIRY.name);
    await phone.getByLabel(T.fields.email.label).fill(VALID_INQUIRY.email);
    await phone.getByLabel(T.fields.category.label).selectOption(VALID_INQUIRY.category);
    await phone
      .getByLabel(T.fields.message.label)
      .fill('お知らせを読みましたが、私が対象か知りたいです。');
    await phone.getByLabel(T.form.consentLabel).check();
    await Promise.all([
      phone.waitForURL(/\/thanks\?ref=/),
      phone.getByRole('button', { name: T.form.submit }).click(),
    ]);
    expect(await testEnv.dataSource.manager.countBy(Ticket, { siteId: tenant.site.id })).toBe(1);
    const stat = await testEnv.dataSource.manager.findOneByOrFail(FaqPageStat, {
      siteId: tenant.site.id,
    });
    expect({ views: stat.views, inquiries: stat.inquiries }).toEqual({ views: 1, inquiries: 1 });

    // The merchant's statistics show the view and the inquiry sent after reading. (Signed in
    // through the login API and the session cookie handed to the browser: the login form has
    // its own browser tests.)
    const session = await loginAs(desk, merchantAdmin.email);
    const laptopContext = await browser.newContext(LAPTOP_CONTEXT);
    contexts.push(laptopContext);
    await laptopContext.addCookies(
      session.cookie.split('; ').map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: deskOrigin };
      }),
    );
    const laptop = await laptopContext.newPage();
    await laptop.goto(`${deskOrigin}/portal/stats`);
    const section = laptop.locator('#faq-stats');
    await section.getByRole('heading', { name: FAQ_STATS_TEXTS.heading }).waitFor();
    expect(await section.locator('[data-faq="views"] .stat__value').textContent()).toBe('1');
    expect(await section.locator('[data-faq="inquiries"] .stat__value').textContent()).toBe('1');
    expect(await section.locator('[data-faq="share"] .stat__value').textContent()).toBe('100.0%');
    await laptop.screenshot({ path: screenshotPath('incident-faq-portal-stats'), fullPage: true });
  });
});
