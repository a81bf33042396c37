import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { BulkSendItem } from '@madoguchi/incident-response';
import { TicketWorkService } from '@madoguchi/tickets';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { BULK_SEND_TEXTS } from '../../apps/desk/src/console/bulk-send/bulk-send.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';

const B = BULK_SEND_TEXTS;

/**
 * Issue 8's last "done when": end users got version 1 of an answer; the merchant approved a
 * corrected version 2; a supervisor sends it to the earlier receivers from the pages, and each
 * gets it once (the desk's own timers send: bulk worker and outbox worker, to loopback SMTP).
 */
describe(`bulk correction in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let deskOrigin: string;
  let intakeOrigin: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    smtp = await startSmtpTestServer();
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv, {
      SMTP_URL: smtp.url,
      OUTBOX_WORKER: 'on',
      OUTBOX_POLL_INTERVAL_MS: '200',
      SCHEDULED_JOBS: 'on',
      BULK_SEND_INTERVAL_MS: '200',
      BULK_SEND_BATCH: '1',
    });
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 1366, height: 850 },
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should send a corrected answer to each earlier receiver exactly once', async () => {
    const tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら雑貨店' });
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const actor = { userId: supervisor.id, ip: '127.0.0.1' };
    const incidents = desk.get(IncidentService);
    const templates = desk.get(AnswerTemplateService);
    const incident = await incidents.create(
      {
        title: '決済画面の改ざん',
        description: '決済画面が改ざんされました。',
        leakedItems: '氏名、メールアドレス',
        occurredFrom: '2026-10-01',
        occurredTo: '2026-11-10',
        merchants: [{ merchantId: tenant.merchant.id, affected: true, noticeDate: '2026-11-20' }],
      },
      actor,
    );
    const template = await templates.create(
      incident.id,
      { title: '流出した情報', purpose: 'answer', body: '{{name}} 様\n流出した情報は氏名です。' },
      actor,
    );
    const decide = async (versionId: number) =>
      templates.decide(
        testMerchantScope(tenant.merchant.id),
        versionId,
        { decision: 'approved' },
        {
          userId: merchantAdmin.id,
          ip: '127.0.0.1',
        },
      );
    await decide(template.versions[0]?.id as number);

    // Two shoppers write in; an agent answers each with the approved version 1.
    const receivers = ['ichiro@example.jp', 'jiro@example.jp'];
    const references: string[] = [];
    for (const email of receivers) {
      const response = await fetch(`${intakeOrigin}/api/v1/sites/${tenant.site.slug}/inquiries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...VALID_INQUIRY, email, category: 'leak_check' }),
      });
      expect(response.status).toBe(201);
      references.push(((await response.json()) as { reference: string }).reference);
    }
    const work = desk.get(TicketWorkService);
    for (const reference of references) {
      await work.reply(
        { kind: 'staff', userId: supervisor.id, queueIds: 'all' },
        reference,
        { body: '流出した情報は氏名です。', answerVersionId: template.versions[0]?.id as number },
        actor,
      );
    }
    // The merchant approves a corrected version 2.
    const edited = await templates.edit(
      template.id,
      { title: '流出した情報', body: '{{name}} 様\n【訂正】流出した情報は氏名と電話番号です。' },
      actor,
    );
    const v2 = edited.versions.find((version) => version.version === 2);
    await decide(v2?.id as number);
    // Confirmations, version 1 and the two approval requests to the merchant admin (issue
    // 13.3) are out before the correction starts.
    await smtp.waitFor(6);
    smtp.reset();

    const page: Page = await context.newPage();
    await page.goto(`${deskOrigin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(supervisor.email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(`${deskOrigin}/`),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
    await page.goto(`${deskOrigin}/supervisor/bulk-sends`);
    await page.getByRole('link', { name: B.newLink }).click();
    await page.getByLabel(B.form.merchant).selectOption(String(tenant.merchant.id));
    await page.getByLabel(B.form.template).selectOption(String(template.id));
    await page.getByLabel(B.form.selection).selectOption('outdated_receivers');
    await page.getByRole('button', { name: B.form.preview }).click();
    await page.getByRole('heading', { level: 1, name: B.preview.heading }).waitFor();
    expect(await page.locator('.bulk-count').textContent()).toContain('2件');
    for (const reference of references) {
      expect(await page.getByText(reference).count()).toBe(1);
    }
    await page.screenshot({ path: screenshotPath('bulk-send-preview'), fullPage: true });
    await page.getByRole('button', { name: '2件に送信する' }).click();
    await page.getByText(B.run.started).waitFor();

    const mails = await smtp.waitFor(2, 20_000);
    expect(mails.map((mail) => mail.envelopeTo[0]).sort()).toEqual(receivers);
    expect(
      mails.every((mail) => mail.text.includes('【訂正】流出した情報は氏名と電話番号です。')),
    ).toBe(true);
    // A correction's subject starts with 【訂正】 (issue 13.3).
    expect(mails.every((mail) => mail.subject.startsWith('【訂正】'))).toBe(true);
    // The run completes; reloading shows every item sent, and no mail comes twice.
    let state: string | null = null;
    for (let attempt = 0; attempt < 40 && state !== 'completed'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
      state = await page.locator('[data-bulk-state]').getAttribute('data-bulk-state');
    }
    expect(state).toBe('completed');
    expect(await testEnv.dataSource.manager.countBy(BulkSendItem, { state: 'sent' })).toBe(2);
    await page.screenshot({ path: screenshotPath('bulk-send-run'), fullPage: true });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.messages).toHaveLength(2);
  });
});
