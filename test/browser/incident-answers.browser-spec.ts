import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '@madoguchi/auth';
import {
  AnswerApproval,
  AnswerTemplateService,
  AnswerTemplateVersion,
  IncidentService,
} from '@madoguchi/incidents';
import { Message, Ticket } from '@madoguchi/tickets';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { INCIDENTS_TEXTS } from '../../apps/desk/src/portal/incidents/incidents.texts';
import { ANSWER_TEMPLATE_TEXTS } from '../../apps/desk/src/web/parts/answer-template.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { waitUntil } from '../support/wait-until';

const LAPTOP_CONTEXT = {
  viewport: { width: 1366, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
};

/**
 * Issue 8's "done when", first part: a merchant_admin approves an answer in the portal; an
 * agent inserts it into a ticket of that merchant and sends it; the mail arrives on the
 * loopback SMTP server and the reply records the approved version.
 */
describe(`incident answers in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let deskOrigin: string;
  let intakeOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let agent: User;
  let merchantAdmin: User;
  let operator: User;
  let incidentId: number;
  const contexts: BrowserContext[] = [];

  const login = async (user: User): Promise<Page> => {
    const context = await browser.newContext(LAPTOP_CONTEXT);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${deskOrigin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(user.email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/login'),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
    return page;
  };

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv, {
      SMTP_URL: smtp.url,
      OUTBOX_WORKER: 'on',
      OUTBOX_POLL_INTERVAL_MS: '200',
    });
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    tenant = await createTestTenant(testEnv.dataSource, {
      merchantName: '株式会社つばめ',
      siteName: 'つばめ雑貨店',
      senderName: 'つばめ雑貨店 お問い合わせ窓口',
    });
    operator = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '鈴木 花子',
    });
    merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
      displayName: 'つばめ 管理者',
    });
    // The operator has recorded the incident and drafted an answer (admin pages: e2e tests).
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
    incidentId = incident.id;
    await desk.get(AnswerTemplateService).create(
      incidentId,
      {
        title: '流出した情報のご案内',
        purpose: 'answer',
        body: '{{name}} 様\n\n{{merchant}}です。流出した可能性がある情報は氏名とメールアドレスです（受付番号 {{reference}}）。\n\n担当: {{agent}}',
      },
      actor,
    );
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

  it('should let the merchant approve an answer that the agent then inserts and sends', async () => {
    // An end user's inquiry arrives; intake links it to the incident.
    const created = await fetch(`${intakeOrigin}/api/v1/sites/${tenant.site.slug}/inquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(VALID_INQUIRY),
    });
    expect(created.status).toBe(201);
    const { reference } = (await created.json()) as { reference: string };
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
    expect(ticket.incidentId).toBe(incidentId);

    // Before approval, the agent is offered nothing for this ticket.
    const agentPage = await login(agent);
    await agentPage.goto(`${deskOrigin}/tickets/${reference}`);
    await agentPage.getByText(TICKET_TEXTS.incidentAnswers.none).waitFor();

    // The merchant_admin opens the portal's incident page and approves version 1.
    const merchantPage = await login(merchantAdmin);
    await merchantPage.getByRole('link', { name: SHARED_TEXTS.nav.portalIncidents }).click();
    await merchantPage.getByRole('link', { name: '2026年11月 会員情報の流出' }).click();
    // The body shows twice: the version's text and its preview with sample values.
    await merchantPage
      .getByText('流出した可能性がある情報は氏名とメールアドレスです')
      .first()
      .waitFor();
    // Approving has a confirm step (issue 19): it shows the text again, then approves.
    await merchantPage.getByRole('link', { name: INCIDENTS_TEXTS.approveStart }).click();
    await merchantPage.waitForURL(/\/decision\/confirm$/);
    await merchantPage.getByText(INCIDENTS_TEXTS.approveConfirm.items[0]).waitFor();
    await Promise.all([
      merchantPage.waitForURL(/done=approved/),
      merchantPage.getByRole('button', { name: INCIDENTS_TEXTS.approve }).click(),
    ]);
    expect(await merchantPage.getByRole('status').first().textContent()).toContain(
      INCIDENTS_TEXTS.notices.approved,
    );
    await merchantPage.screenshot({
      path: screenshotPath('portal-incident-approved'),
      fullPage: true,
    });
    const version = await testEnv.dataSource.manager.findOneByOrFail(AnswerTemplateVersion, {
      version: 1,
    });
    expect(
      await testEnv.dataSource.manager.findOneBy(AnswerApproval, {
        versionId: version.id,
        merchantId: tenant.merchant.id,
      }),
    ).toMatchObject({ decision: 'approved', decidedByUserId: merchantAdmin.id });

    // The agent reloads the ticket, inserts the approved answer (filled in) and sends it.
    await agentPage.reload();
    await agentPage
      .getByLabel(`承認済みの回答（${tenant.merchant.name}）`)
      .selectOption({ label: '流出した情報のご案内（第1版・一般の回答）' });
    // The page's script puts the filled text at the cursor (no reload) and the version id
    // into the reply form.
    await agentPage.getByRole('button', { name: TICKET_TEXTS.incidentAnswers.insert }).click();
    await agentPage.locator('input[name="answerVersionId"]').waitFor({ state: 'attached' });
    const replyBox = agentPage.getByLabel(TICKET_TEXTS.replyLabel);
    await waitUntil(async () => (await replyBox.inputValue()).includes('担当:'));
    const replyText = await replyBox.inputValue();
    expect(replyText).toContain(`${VALID_INQUIRY.name} 様`);
    expect(replyText).toContain(`株式会社つばめです。`);
    expect(replyText).toContain(`（受付番号 ${reference}）`);
    expect(replyText).toContain('担当: 鈴木 花子');
    await agentPage.screenshot({
      path: screenshotPath('desk-ticket-approved-answer'),
      fullPage: true,
    });
    await Promise.all([
      agentPage.waitForURL(/done=replied/),
      agentPage.getByRole('button', { name: TICKET_TEXTS.replySubmit }).click(),
    ]);

    // The reply records the version, and the mail reaches the end user through the outbox.
    const reply = await testEnv.dataSource.manager.findOneOrFail(Message, {
      where: { ticketId: ticket.id, kind: 'reply' },
      order: { id: 'DESC' },
    });
    expect(reply.answerVersionId).toBe(version.id);
    // The approval request for version 1 (issue 13.3), the confirmation and the reply.
    const mails = await smtp.waitFor(3, 15_000);
    const replyMail = mails.find((mail) =>
      mail.text.includes('流出した可能性がある情報は氏名とメールアドレスです'),
    );
    expect(replyMail).toBeDefined();
    expect(replyMail?.envelopeTo).toEqual([VALID_INQUIRY.email]);
    expect(replyMail?.text).toContain(`受付番号 ${reference}`);
    expect(replyMail?.headers.get('from')).toContain('つばめ雑貨店 お問い合わせ窓口');

    // The supervisor sees the merchant's decision on the incident's admin page.
    const supervisorPage = await login(operator);
    await supervisorPage.goto(`${deskOrigin}/admin/incidents/${incidentId}`);
    const approvalRow = supervisorPage
      .getByRole('table', { name: '第1版の加盟店ごとの承認状況' })
      .getByRole('row', { name: new RegExp(tenant.merchant.name) });
    expect(await approvalRow.textContent()).toContain(ANSWER_TEMPLATE_TEXTS.decisions.approved);
    await supervisorPage.screenshot({ path: screenshotPath('admin-incident'), fullPage: true });
  }, 90_000);
});
