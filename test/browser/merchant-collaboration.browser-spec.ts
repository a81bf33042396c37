import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { Ticket } from '@madoguchi/tickets';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { CASE_TEXTS } from '../../apps/desk/src/portal/case/case.texts';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const QUESTION = 'このご注文の発送状況を教えてください。';
const ANSWER = '4月2日に出荷済みです。追跡番号はお客様へ別途ご連絡済みです。';

const LAPTOP_CONTEXT = {
  viewport: { width: 1280, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
};

/**
 * Issue 13's "done when" for the merchant as a collaborator: a merchant sees and answers the
 * desk's question; a handed-back case appears in the portal and is answered there.
 */
describe(`merchant questions and hand-back in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let intakeOrigin: string;
  let deskOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let agentEmail: string;
  let merchantEmail: string;
  const contexts: BrowserContext[] = [];

  const open = async (options: object): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  };

  /**
   * Signs in through the login API (the login page has its own browser tests) and hands the
   * session cookie to the browser, then opens `landing`.
   */
  const logIn = async (page: Page, email: string, landing: string): Promise<void> => {
    const { cookie } = await loginAs(desk, email);
    const [name, ...value] = cookie.split(';')[0].split('=');
    await page.context().addCookies([{ name, value: value.join('='), url: deskOrigin }]);
    await page.goto(`${deskOrigin}${landing}`);
  };

  const submitInquiry = async (message: string): Promise<string> => {
    const response = await fetch(`${intakeOrigin}/api/v1/sites/${tenant.site.slug}/inquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...VALID_INQUIRY, message }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { reference: string }).reference;
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
    tenant = await createTestTenant(testEnv.dataSource, { merchantName: '株式会社さくら' });
    agentEmail = (
      await createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [tenant.queue.id] })
    ).email;
    merchantEmail = (
      await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      })
    ).email;
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it("should let a merchant see the desk's question in the portal and answer it", async () => {
    const reference = await submitInquiry('注文した商品がまだ届きません。');

    const agent = await open(LAPTOP_CONTEXT);
    await logIn(agent, agentEmail, '/');
    await agent.goto(`${deskOrigin}/tickets/${reference}`);
    const questionForm = agent.locator(`form[action="/tickets/${reference}/merchant-questions"]`);
    expect(await questionForm.textContent()).toContain('お客様の個人情報を書かないでください');
    await questionForm.getByLabel(TICKET_TEXTS.merchantQuestion.label).fill(QUESTION);
    await Promise.all([
      agent.waitForURL(/\?done=questionAsked$/),
      questionForm.getByRole('button', { name: TICKET_TEXTS.merchantQuestion.submit }).click(),
    ]);
    await agent.locator('.msg--merchant_query').getByText(QUESTION).waitFor();

    // The merchant, on a phone: the question is on the case page, with a form to answer it.
    const merchant = await open(PHONE_CONTEXT);
    await logIn(merchant, merchantEmail, '/portal/cases');
    expect(await merchant.locator('[data-waiting="questions"]').textContent()).toContain('1件');
    await merchant.goto(`${deskOrigin}/portal/cases/${reference}`);
    await merchant.locator('.question-quote').getByText(QUESTION).waitFor();
    expect(await merchant.locator('[data-case-access]').textContent()).toContain(
      CASE_TEXTS.caseAccess.question,
    );
    await merchant.screenshot({ path: screenshotPath('portal-merchant-question'), fullPage: true });
    await merchant.getByRole('textbox', { name: CASE_TEXTS.answer.label }).fill(ANSWER);
    await Promise.all([
      merchant.waitForURL(/\?done=answered$/),
      merchant.getByRole('button', { name: CASE_TEXTS.answer.submit }).click(),
    ]);
    await merchant.getByText(CASE_TEXTS.answer.sent).waitFor();

    // Back in the agent's queue, the answer in its own style.
    await agent.goto(`${deskOrigin}/tickets/${reference}`);
    await agent.locator('.msg--merchant_answer').getByText(ANSWER).waitFor();
    expect((await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference })).status).toBe(
      'open',
    );
  }, 90_000);

  it('should put a handed-back case into the portal, show its contact on request and let the merchant mark it answered', async () => {
    const reference = await submitInquiry('返品の方法を教えてください。');

    const agent = await open(LAPTOP_CONTEXT);
    await logIn(agent, agentEmail, '/');
    await agent.goto(`${deskOrigin}/tickets/${reference}`);
    await agent.getByRole('button', { name: TICKET_TEXTS.handBackStart }).click();
    await Promise.all([
      agent.waitForURL(/\?done=handedBack$/),
      agent.getByRole('button', { name: TICKET_TEXTS.handBackConfirm }).click(),
    ]);

    const merchant = await open(LAPTOP_CONTEXT);
    await logIn(merchant, merchantEmail, '/portal/cases');
    expect(await merchant.locator('[data-waiting="hand-backs"]').textContent()).toContain('1件');
    await merchant.locator('[data-waiting="hand-backs"]').click();
    await merchant.waitForURL(`${deskOrigin}/portal/handbacks`);
    await merchant.getByRole('link', { name: reference }).click();
    await merchant.waitForURL(`${deskOrigin}/portal/cases/${reference}`);
    expect(await merchant.content()).not.toContain(VALID_INQUIRY.email);

    await merchant.getByRole('button', { name: CASE_TEXTS.handBack.reveal }).click();
    const contact = merchant.locator('[data-hand-back-contact]');
    await contact.waitFor();
    expect(await contact.textContent()).toContain(VALID_INQUIRY.email);
    expect(await contact.textContent()).toContain('返品の方法を教えてください。');
    await merchant.screenshot({ path: screenshotPath('portal-hand-back'), fullPage: true });

    await Promise.all([
      merchant.waitForURL(/\?done=handBackAnswered$/),
      merchant.getByRole('button', { name: CASE_TEXTS.handBack.mark }).click(),
    ]);
    await merchant.locator('[data-hand-back-answered="yes"]').waitFor();
    await merchant.goto(`${deskOrigin}/portal/handbacks`);
    expect(await merchant.locator(`tr[data-reference="${reference}"]`).count()).toBe(0);

    const audited = await testEnv.dataSource.manager.countBy(AuditEvent, {
      targetId: reference,
      action: AUDIT_ACTIONS.handBackContactViewed,
    });
    expect(audited).toBe(1);
    expect(
      await testEnv.dataSource.manager.countBy(AuditEvent, {
        targetId: reference,
        action: AUDIT_ACTIONS.handBackAnswered,
      }),
    ).toBe(1);
  }, 90_000);
});
