import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { AffectedListService, BulkSendItem } from '@madoguchi/incident-response';
import { Message, Ticket } from '@madoguchi/tickets';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { BULK_SEND_TEXTS } from '../../apps/desk/src/console/bulk-send/bulk-send.texts';
import { DETERMINATION_TEXTS } from '../../apps/desk/src/web/parts/determination.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';
import { waitUntil } from '../support/wait-until';
import { testMerchantScope } from '../support/test-scope';

const B = BULK_SEND_TEXTS;
const INCLUDED_TEXT = 'お客様のメールアドレスは今回の流出の対象に含まれていました。';

/**
 * Issue 13.1's "done when": a bulk send of `leak_included` reaches only the tickets proved
 * included and refuses the rest. Three shoppers write in; one proves on the status page that
 * her email is on the merchant's list, one that his is not, one never checks. A supervisor's
 * bulk send of the "included" answer lists only the first (with her evidence), says why the other
 * two are left out, and only she gets the mail; an agent's reply of that answer to the
 * undetermined ticket is refused (409) and nothing goes out.
 */
describe(`leak answers only where a determination allows them, in a browser (${TEST_DB})`, () => {
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
    intake = await startIntakeApp(testEnv, { SMTP_URL: smtp.url });
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
      viewport: { width: 1280, height: 900 },
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

  /** A web inquiry through the intake's JSON API. */
  async function inquiry(slug: string, email: string, name: string) {
    const response = await fetch(`${intakeOrigin}/api/v1/sites/${slug}/inquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        email,
        category: 'leak_check',
        message: '私の情報は含まれていますか。',
        consent: true,
      }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { reference: string; statusUrl: string };
    return { reference: body.reference, path: new URL(body.statusUrl).pathname };
  }

  /** The shopper asks for a code on the status page and enters the one from the mail. */
  async function verify(path: string, email: string): Promise<void> {
    const before = smtp.messages.length;
    const asked = await fetch(`${intakeOrigin}${path}/leak-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(asked.status).toBe(303);
    const codeMail = () =>
      smtp.messages
        .slice(before)
        .find((m) => m.envelopeTo[0] === email && /確認コード：\d{6}/.test(m.text));
    await waitUntil(() => codeMail() !== undefined, 20_000);
    const code = /確認コード：(\d{6})/.exec(codeMail()?.text ?? '')?.[1] as string;
    const checked = await fetch(`${intakeOrigin}${path}/leak-check/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `code=${code}`,
    });
    expect(checked.status).toBe(200);
  }

  it('should send leak_included only to the ticket proved included and refuse the rest', async () => {
    const tenant = await createTestTenant(testEnv.dataSource, {
      merchantName: 'さくら雑貨店',
      siteName: 'さくら雑貨店',
    });
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const actor = { userId: supervisor.id, ip: '127.0.0.1' };
    const incident = await desk.get(IncidentService).create(
      {
        title: '決済画面の改ざん',
        description: '決済画面が改ざんされました。',
        leakedItems: 'メールアドレス',
        merchants: [{ merchantId: tenant.merchant.id, affected: true }],
      },
      actor,
    );
    const templates = desk.get(AnswerTemplateService);
    const template = await templates.create(
      incident.id,
      {
        title: '対象に含まれていた方へ',
        purpose: 'leak_included',
        body: `{{name}} 様\n${INCLUDED_TEXT}`,
      },
      actor,
    );
    const versionId = template.versions[0]?.id as number;
    await templates.decide(
      testMerchantScope(tenant.merchant.id),
      versionId,
      { decision: 'approved' },
      { userId: merchantAdmin.id, ip: '127.0.0.1' },
    );
    await desk
      .get(AffectedListService)
      .upload(
        { kind: 'merchant', userId: merchantAdmin.id, merchantId: tenant.merchant.id },
        incident.id,
        { userId: merchantAdmin.id, ip: '127.0.0.1' },
        { mode: 'replace', file: Buffer.from('email\nlisted@example.jp\nother@example.jp\n') },
      );

    const listed = await inquiry(tenant.site.slug, 'listed@example.jp', '掲載 花子');
    const unlisted = await inquiry(tenant.site.slug, 'unlisted@example.jp', '未掲載 太郎');
    const unchecked = await inquiry(tenant.site.slug, 'unchecked@example.jp', '未確認 次郎');
    await verify(listed.path, 'listed@example.jp');
    await verify(unlisted.path, 'unlisted@example.jp');
    // The confirmations and codes are out before the bulk send starts.
    await waitUntil(() => smtp.messages.length >= 5, 20_000);
    smtp.reset();

    // The supervisor's session from the login API (the login page has its own browser test).
    const session = await loginAs(desk, supervisor.email);
    await context.addCookies(
      session.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name as string, value: value.join('='), url: deskOrigin };
      }),
    );
    const page: Page = await context.newPage();

    // An agent's reply of the "included" answer to the unchecked ticket is refused.
    await page.goto(`${deskOrigin}/tickets/${unchecked.reference}?answer=${versionId}`);
    await page.locator('[data-determination="none"]').waitFor();
    await page.getByRole('button', { name: TICKET_TEXTS.replySubmit }).click();
    await page.getByText('判定がまだありません').first().waitFor();
    expect(
      await testEnv.dataSource.manager.countBy(Message, {
        ticketId: (
          await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
            reference: unchecked.reference,
          })
        ).id,
        kind: 'reply',
      }),
    ).toBe(0);

    // The bulk send of the "included" answer: one ticket, with its evidence; two left out.
    await page.goto(`${deskOrigin}/supervisor/bulk-sends`);
    await page.getByRole('link', { name: B.newLink }).click();
    await page.getByLabel(B.form.merchant).selectOption(String(tenant.merchant.id));
    await page.getByLabel(B.form.template).selectOption(String(template.id));
    await page.getByLabel(B.form.selection).selectOption('incident_open');
    await page.getByRole('button', { name: B.form.preview }).click();
    await page.getByRole('heading', { level: 1, name: B.preview.heading }).waitFor();
    expect(await page.locator('.bulk-count').textContent()).toContain('1件');
    const evidence = page.locator('[data-bulk-evidence]');
    expect(await evidence.locator(`[data-reference="${listed.reference}"]`).count()).toBe(1);
    expect(await evidence.textContent()).toContain(
      DETERMINATION_TEXTS.evidence.verified_email_on_list,
    );
    const excluded = page.locator('[data-bulk-excluded]');
    expect(
      await excluded.locator(`[data-reference="${unlisted.reference}"]`).textContent(),
    ).toContain(DETERMINATION_TEXTS.bulk.reasons.outcome_differs);
    expect(
      await excluded.locator(`[data-reference="${unchecked.reference}"]`).textContent(),
    ).toContain(DETERMINATION_TEXTS.bulk.reasons.undetermined);
    await page.screenshot({ path: screenshotPath('bulk-send-leak-evidence'), fullPage: true });
    await page.getByRole('button', { name: '1件に送信する' }).click();
    await page.getByText(B.run.started).waitFor();

    await waitUntil(() => smtp.messages.some((m) => m.text.includes(INCLUDED_TEXT)), 20_000);
    let state: string | null = null;
    for (let attempt = 0; attempt < 40 && state !== 'completed'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
      state = await page.locator('[data-bulk-state]').getAttribute('data-bulk-state');
    }
    expect(state).toBe('completed');
    expect(await testEnv.dataSource.manager.countBy(BulkSendItem, { state: 'sent' })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const answers = smtp.messages.filter((m) => m.text.includes(INCLUDED_TEXT));
    expect(answers.map((m) => m.envelopeTo[0])).toEqual(['listed@example.jp']);
    expect(answers[0]?.text).toContain('掲載 花子 様');
  });
});
