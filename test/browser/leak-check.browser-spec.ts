import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { LeakCheckCode } from '@madoguchi/incident-response';
import { OutboxWorker } from '@madoguchi/mail';
import { Ticket } from '@madoguchi/tickets';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { AFFECTED_LIST_TEXTS } from '../../apps/desk/src/portal/affected-list/affected-list.texts';
import { LEAK_CHECK_TEXTS } from '../../apps/intake/src/status-page/leak-check.texts';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';

const L = LEAK_CHECK_TEXTS;
const PHONE_WIDTH = 375;
// The project compiles without the DOM lib, so code that runs in the page is passed as text.
const FOCUSED_CLASS = 'document.activeElement.className';
const FOCUSED_TEXT = 'document.activeElement.textContent';
const backgroundOf = (selector: string) =>
  `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`;

/**
 * A control's whole accessible name, whatever spaces Chromium puts where a label carries
 * phrase-break hints (`<wbr>` reads as a space: 「確認コードを メールで 受け取る」).
 */
function named(label: string): RegExp {
  const chars = [...label].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${chars.join('\\s*')}$`);
}

const LAPTOP_CONTEXT = {
  viewport: { width: 1366, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
};

/**
 * Issue 8's "done when" (8B): a merchant admin uploads its affected list in the portal; an end
 * user on the status page asks for a code, reads it from the mail (loopback SMTP, sent by the
 * desk's outbox worker), enters it and sees the merchant-approved "included" answer.
 */
describe(`leak check on the status page in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
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

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
    });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should let a merchant upload its list and an end user verify by mailed code and read the approved "included" answer', async () => {
    const tenant = await createTestTenant(testEnv.dataSource, {
      senderName: 'みなと商店 窓口',
      siteName: 'みなと商店',
    });
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const staff = { userId: operator.id, ip: '127.0.0.1' };
    const incident = await desk.get(IncidentService).create(
      {
        title: '2026年11月 不正アクセス',
        description: '決済画面の改ざん',
        leakedItems: 'メールアドレス',
        merchants: [{ merchantId: tenant.merchant.id, affected: true }],
      },
      staff,
    );
    const templates = desk.get(AnswerTemplateService);
    const template = await templates.create(
      incident.id,
      {
        title: '対象に含まれていた方へ',
        purpose: 'leak_included',
        body: '{{name}} 様、お客様のメールアドレスは今回の流出の対象に含まれていました。',
      },
      staff,
    );
    await templates.decide(
      testMerchantScope(tenant.merchant.id),
      template.versions[0].id,
      { decision: 'approved' },
      { userId: merchantAdmin.id, ip: '127.0.0.1' },
    );

    // The merchant admin uploads the list in the portal.
    const portal = await open(LAPTOP_CONTEXT);
    await portal.goto(`${deskOrigin}/login`);
    await portal.getByLabel(LOGIN_TEXTS.login.email).fill(merchantAdmin.email);
    await portal.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      portal.waitForURL(`${deskOrigin}/portal/cases`),
      portal.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
    await portal.getByRole('link', { name: SHARED_TEXTS.nav.portalAffectedLists }).click();
    await portal.getByRole('link', { name: AFFECTED_LIST_TEXTS.open }).click();
    await portal.getByLabel(AFFECTED_LIST_TEXTS.file).setInputFiles({
      name: '対象者.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('メールアドレス\r\nminato.shopper@example.jp\r\nbad-address\r\n'),
    });
    await portal.getByLabel(AFFECTED_LIST_TEXTS.modeReplace).check();
    await portal.getByRole('button', { name: AFFECTED_LIST_TEXTS.submit }).click();
    await portal.getByRole('heading', { name: AFFECTED_LIST_TEXTS.reportHeading }).waitFor();
    expect(await portal.locator('[data-count="rows-added"]').textContent()).toBe('1');
    expect(await portal.locator('[data-upload-report]').textContent()).toContain('3行目');
    await portal.screenshot({ path: screenshotPath('affected-list-upload'), fullPage: true });

    // The end user's inquiry, then their status page on a phone.
    const created = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({
        name: '港 花子',
        email: 'minato.shopper@example.jp',
        category: 'leak_check',
        message: '私の情報は含まれていますか。',
        consent: true,
      })
      .expect(201);
    const statusPath = new URL(created.body.statusUrl as string).pathname;
    const page = await open(PHONE_CONTEXT);
    await page.goto(`${intakeOrigin}${statusPath}`);
    await page.getByRole('button', { name: named(L.request) }).click();
    await page.getByLabel(L.codeLabel).waitFor();

    const before = smtp.messages.length;
    await desk.get(OutboxWorker).drainOnce();
    const mails = await smtp.waitFor(before + 1);
    const codeMail = mails.find((mail) => mail.subject.includes('確認コード'));
    const code = /確認コード：(\d{6})/.exec(codeMail?.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);

    await page.getByLabel(L.codeLabel).fill(code as string);
    await page.getByRole('button', { name: named(L.verify) }).click();
    const result = page.locator('[data-leak-check-result]');
    await result.waitFor();
    expect(await result.textContent()).toContain(
      '港 花子 様、お客様のメールアドレスは今回の流出の対象に含まれていました。',
    );
    await page.screenshot({ path: screenshotPath('leak-check-included'), fullPage: true });
  });
  it('should focus a summary that names the problem after a wrong or expired code at 375 px, beside two buttons that are not twins', async () => {
    const tenant = await createTestTenant(testEnv.dataSource, { siteName: 'かもめ書店' });
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    await desk.get(IncidentService).create(
      {
        title: '2026年12月 不正アクセス',
        description: '会員情報の流出',
        leakedItems: 'メールアドレス',
        merchants: [{ merchantId: tenant.merchant.id, affected: true }],
      },
      { userId: operator.id, ip: '127.0.0.1' },
    );
    const created = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({
        name: '鴎 一郎',
        email: 'kamome.shopper@example.jp',
        category: 'leak_check',
        message: '私の情報は含まれていますか。',
        consent: true,
      })
      .expect(201);
    const statusPath = new URL(created.body.statusUrl as string).pathname;
    const page = await open(PHONE_CONTEXT);
    expect(page.viewportSize()?.width).toBe(PHONE_WIDTH);
    await page.goto(`${intakeOrigin}${statusPath}`);
    await page.getByRole('button', { name: named(L.request) }).click();
    await page.getByLabel(L.codeLabel).waitFor();
    const before = smtp.messages.length;
    const { sent } = await desk.get(OutboxWorker).drainOnce();
    const mails = (await smtp.waitFor(before + sent)).slice(before);
    const codeMail = mails.find((mail) => mail.subject.includes('確認コード'));
    const code = /確認コード：(\d{6})/.exec(codeMail?.text ?? '')?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);

    // Using the code and getting a new one: different names, different looks.
    const section = page.locator('#leak-check');
    const verify = section.getByRole('button', { name: named(L.verify) });
    const resend = section.getByRole('button', { name: named(L.requestAgain) });
    expect(await section.getByRole('button').count()).toBe(2);
    expect(await verify.count()).toBe(1);
    expect(await resend.count()).toBe(1);
    expect((await verify.textContent())?.trim()).not.toBe((await resend.textContent())?.trim());
    expect(await verify.getAttribute('class')).not.toBe(await resend.getAttribute('class'));
    expect(await page.evaluate<string>(backgroundOf('#leak-check .button--secondary'))).not.toBe(
      await page.evaluate<string>(backgroundOf('#leak-check .button:not(.button--secondary)')),
    );

    // A wrong code: the summary has focus, in view, and says what went wrong.
    await page.getByLabel(L.codeLabel).fill(code === '000000' ? '000001' : '000000');
    await verify.click();
    await page.locator('.error-summary').waitFor();
    expect(await page.evaluate<string>(FOCUSED_CLASS)).toBe('error-summary');
    const wrongSummary = await page.evaluate<string>(FOCUSED_TEXT);
    expect(wrongSummary).toContain(L.verifyErrorTitle);
    expect(wrongSummary).toContain('確認コードが正しくありません。あと4回入力できます。');
    const box = await page.locator('.error-summary').boundingBox();
    expect(box?.y).toBeGreaterThanOrEqual(0);
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(812);
    expect(await page.title()).toMatch(/^エラー: /);
    expect(await page.getByLabel(L.codeLabel).getAttribute('aria-invalid')).toBe('true');
    // Its link leads to the code field.
    await page.locator('.error-summary a').click();
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('f-code');
    await page.screenshot({ path: screenshotPath('leak-check-wrong-code'), fullPage: true });

    // An expired code: focused again, and the next Tab reaches the way on (a new code).
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: created.body.reference as string });
    await testEnv.dataSource
      .getRepository(LeakCheckCode)
      .update({ ticketId: ticket.id }, { expiresAt: new Date(Date.now() - 1000) });
    await page.getByLabel(L.codeLabel).fill(code);
    await section.getByRole('button', { name: named(L.verify) }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.evaluate<string>(FOCUSED_CLASS)).toBe('error-summary');
    expect(await page.evaluate<string>(FOCUSED_TEXT)).toContain(
      '確認コードの有効期限が切れています',
    );
    await page.keyboard.press('Tab');
    expect((await page.evaluate<string>(FOCUSED_TEXT)).trim()).toBe(L.request);
    await page.screenshot({ path: screenshotPath('leak-check-expired-code'), fullPage: true });
  });
});
