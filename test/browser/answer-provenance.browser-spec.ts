import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '@madoguchi/auth';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { Message, Ticket } from '@madoguchi/tickets';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { INCIDENTS_TEXTS } from '../../apps/desk/src/portal/incidents/incidents.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';
import { waitUntil } from '../support/wait-until';

const LAPTOP_CONTEXT = {
  viewport: { width: 1280, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
};
const PHONE_CONTEXT = { ...LAPTOP_CONTEXT, viewport: { width: 375, height: 740 } };

const AGENT_ADDITION = 'なお、ご不明な点はお電話でもお受けしております。';

/**
 * Issue 13's "done when": an edited approved answer shows as edited in the portal. The agent
 * inserts the merchant's approved answer, changes the text and sends it; the agent's page says
 * 「編集あり」; the merchant_admin's incident page counts it as edited for that version (with
 * the version marked in use, no approve button on it, the approver by name), and the diff
 * shows the agent's addition.
 */
describe(`approved answer provenance in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let deskOrigin: string;
  let intakeOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let agent: User;
  let merchantAdmin: User;
  let incidentId: number;
  let versionId: number;
  const contexts: BrowserContext[] = [];

  /**
   * Signs in through the login API (the login page has its own browser tests) and hands the
   * session cookie to a fresh browser context.
   */
  const login = async (user: User, options = LAPTOP_CONTEXT): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    const page = await context.newPage();
    const { cookie } = await loginAs(desk, user.email);
    const [name, ...value] = cookie.split(';')[0].split('=');
    await context.addCookies([{ name, value: value.join('='), url: deskOrigin }]);
    await page.goto(`${deskOrigin}/`);
    return page;
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    tenant = await createTestTenant(testEnv.dataSource, {
      merchantName: '株式会社かもめ',
      siteName: 'かもめ書店',
      senderName: 'かもめ書店 お問い合わせ窓口',
    });
    const operator = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '高橋 次郎',
    });
    merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
      displayName: 'かもめ 承認者',
    });
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
    const template = await desk.get(AnswerTemplateService).create(
      incidentId,
      {
        title: '流出した情報のご案内',
        purpose: 'answer',
        body: '{{name}} 様\n\n{{site}}です。流出した可能性がある情報は氏名とメールアドレスです（受付番号 {{reference}}）。\n\n担当: {{agent}}',
      },
      actor,
    );
    versionId = template.versions[0].id;
    await desk
      .get(AnswerTemplateService)
      .decide(
        testMerchantScope(tenant.merchant.id),
        versionId,
        { decision: 'approved' },
        { userId: merchantAdmin.id, ip: null },
      );
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should show an edited approved answer as edited to the agent and in the merchant portal', async () => {
    const created = await fetch(`${intakeOrigin}/api/v1/sites/${tenant.site.slug}/inquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(VALID_INQUIRY),
    });
    expect(created.status).toBe(201);
    const { reference } = (await created.json()) as { reference: string };

    // The agent inserts the approved answer, adds a sentence and sends it.
    const agentPage = await login(agent);
    await agentPage.goto(`${deskOrigin}/tickets/${reference}`);
    await agentPage
      .getByLabel(`承認済みの回答（${tenant.merchant.name}）`)
      .selectOption({ label: '流出した情報のご案内（第1版・一般の回答）' });
    // The page's script puts the filled text at the cursor (no reload) and the version id
    // into the reply form.
    await agentPage.getByRole('button', { name: TICKET_TEXTS.incidentAnswers.insert }).click();
    await agentPage.locator('input[name="answerVersionId"]').waitFor({ state: 'attached' });
    const replyBox = agentPage.getByLabel(TICKET_TEXTS.replyLabel);
    await waitUntil(async () => (await replyBox.inputValue()).includes('担当:'));
    const inserted = await replyBox.inputValue();
    expect(inserted).toContain('担当: 高橋 次郎');
    await replyBox.fill(inserted.replace('担当:', `${AGENT_ADDITION}\n\n担当:`));
    await Promise.all([
      agentPage.waitForURL(/done=replied/),
      agentPage.getByRole('button', { name: TICKET_TEXTS.replySubmit }).click(),
    ]);
    await agentPage.getByText(`承認済み回答 v1（編集あり）`, { exact: true }).first().waitFor();
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
    const reply = await testEnv.dataSource.manager.findOneOrFail(Message, {
      where: { ticketId: ticket.id, kind: 'reply' },
      order: { id: 'DESC' },
    });
    expect(reply).toMatchObject({ answerVersionId: versionId, answerProvenance: 'edited' });

    // The merchant_admin opens the incident: version 1 in use, approved by name, no button.
    const merchantPage = await login(merchantAdmin);
    await merchantPage.getByRole('link', { name: SHARED_TEXTS.nav.portalIncidents }).click();
    await merchantPage.getByRole('link', { name: '2026年11月 会員情報の流出' }).click();
    const version = merchantPage.locator(`#version-${versionId}`);
    await version.getByText(INCIDENTS_TEXTS.inUse, { exact: true }).waitFor();
    expect(await version.textContent()).toContain('かもめ 承認者');
    expect(await version.getByRole('link', { name: INCIDENTS_TEXTS.approveStart }).count()).toBe(0);
    expect(await version.getByText(INCIDENTS_TEXTS.alreadyApproved).count()).toBe(1);

    // Its replies: one, edited; the diff on demand shows the agent's addition.
    const usage = version.locator('details[data-usage]');
    await usage.locator('summary').click();
    expect(await usage.locator('summary').textContent()).toContain('そのまま 0件・編集あり 1件');
    const row = usage.getByRole('row', { name: new RegExp(reference) });
    expect(await row.textContent()).toContain(INCIDENTS_TEXTS.usage.provenance.edited);
    await merchantPage.screenshot({
      path: screenshotPath('portal-answer-provenance'),
      fullPage: true,
    });
    await Promise.all([
      merchantPage.waitForURL(/\/replies\/\d+\/diff$/),
      row.getByRole('link', { name: INCIDENTS_TEXTS.usage.showDiff }).click(),
    ]);
    const insertion = merchantPage.locator('.text-diff ins');
    expect(await insertion.count()).toBeGreaterThan(0);
    // Read as the text sent (deletions and the hidden screen-reader words left out), the diff
    // holds the agent's addition; the insertions are as long as the addition (a minimal diff
    // may place them a few characters earlier or later).
    const readAs = (drop: string) =>
      merchantPage.evaluate<string>(
        `(() => { const block = document.querySelector('.text-diff').cloneNode(true); block.querySelectorAll('${drop}').forEach((node) => node.remove()); return block.textContent; })()`,
      );
    expect(await readAs('del, .visually-hidden')).toContain(AGENT_ADDITION);
    const insertedText = await merchantPage.evaluate<string>(
      `[...document.querySelectorAll('.text-diff ins')].map((node) => { const copy = node.cloneNode(true); copy.querySelectorAll('.visually-hidden').forEach((n) => n.remove()); return copy.textContent; }).join('')`,
    );
    expect(Array.from(insertedText).length).toBeGreaterThanOrEqual(
      Array.from(AGENT_ADDITION).length,
    );
    expect(await readAs('ins')).not.toContain(AGENT_ADDITION);
    await merchantPage.screenshot({
      path: screenshotPath('portal-answer-diff'),
      fullPage: true,
    });

    // The same page on a phone: nothing wider than the screen.
    const phonePage = await login(merchantAdmin, PHONE_CONTEXT);
    await phonePage.goto(`${deskOrigin}/portal/incidents/${incidentId}`);
    await phonePage.locator(`#version-${versionId}`).waitFor();
    // A string expression: the test's TypeScript has no DOM types.
    const overflow = await phonePage.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phonePage.screenshot({
      path: screenshotPath('portal-incident-approval-375'),
      fullPage: true,
    });
  }, 120_000);
});
