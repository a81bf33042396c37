import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { User } from '@madoguchi/auth';
import { CannedResponse } from '@madoguchi/tickets';
import { formatText } from '@madoguchi/ui';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const K = TICKET_TEXTS;
const CANNED_BODY = '{{name}} 様のお問い合わせを確認しております。';

/**
 * Issue 15 in Chromium: two agents on one ticket, each on their own desk instance (one
 * database), see each other viewing and writing; a shopper's new message appears on the open
 * page while the agent's draft stays as typed, and the draft survives a reload until it is sent;
 * a canned response goes in at the cursor on a line of its own and replaces a selection only
 * when the agent agrees.
 */
describe(`the live ticket page in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let otherDesk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let deskOrigin: string;
  let otherOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let yamada: User;
  let sato: User;
  const contexts: BrowserContext[] = [];

  const open = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    contexts.push(context);
    return context.newPage();
  };

  const logIn = async (page: Page, origin: string, email: string): Promise<void> => {
    await page.goto(`${origin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(`${origin}/`),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
  };

  async function newTicket(): Promise<{ reference: string; statusPath: string }> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const body = response.body as { reference: string; statusUrl: string };
    return { reference: body.reference, statusPath: new URL(body.statusUrl).pathname };
  }

  /** The reply box's value once `done` says it is what the test waits for. */
  async function replyValueOnce(page: Page, done: (value: string) => boolean): Promise<string> {
    for (let i = 0; i < 100; i += 1) {
      const value = await replyBox(page).inputValue();
      if (done(value)) return value;
      await page.waitForTimeout(100);
    }
    return replyBox(page).inputValue();
  }

  /** Places the cursor (or a selection) in the reply box, as a click or a drag would. */
  const select = (page: Page, from: number, to: number) =>
    replyBox(page).evaluate(
      (field, [start, end]) =>
        (field as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(
          start,
          end,
        ),
      [from, to] as const,
    );

  const presence = (page: Page) => page.locator('#ticket-presence .presence__list');
  const replyBox = (page: Page) => page.locator('#f-reply-body');

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      LIVE_POLL_INTERVAL_MS: '200',
    });
    tenant = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv);
    otherDesk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    deskOrigin = await listenOnLoopback(desk);
    otherOrigin = await listenOnLoopback(otherDesk);
    yamada = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '山田 花子',
    });
    sato = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '佐藤 次郎',
    });
    const now = new Date();
    await testEnv.dataSource.getRepository(CannedResponse).insert({
      merchantId: tenant.merchant.id,
      title: '確認中のご連絡',
      body: CANNED_BODY,
      updatedByUserId: null,
      createdAt: now,
      updatedAt: now,
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await intake?.close();
    await otherDesk?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should show two agents on one ticket, on two desk instances, to each other', async () => {
    const { reference } = await newTicket();
    const first = await open();
    const second = await open();
    await logIn(first, deskOrigin, yamada.email);
    await logIn(second, otherOrigin, sato.email);
    await first.goto(`${deskOrigin}/tickets/${reference}`);
    await second.goto(`${otherOrigin}/tickets/${reference}`);

    // 佐藤 arrived after 山田's first heartbeat: his page says so at once, 山田's within 10 s.
    const yamadaViewing = formatText(SHARED_TEXTS.common.presenceViewing, { name: '山田 花子' });
    const satoViewing = formatText(SHARED_TEXTS.common.presenceViewing, { name: '佐藤 次郎' });
    await presence(second).getByText(yamadaViewing).waitFor({ timeout: 15_000 });
    await presence(first).getByText(satoViewing).waitFor({ timeout: 15_000 });

    // 山田 starts typing: 佐藤 sees 返信を入力中 at his next heartbeat.
    await replyBox(first).fill('ただいま確認しております。');
    const yamadaWriting = formatText(SHARED_TEXTS.common.presenceWriting, { name: '山田 花子' });
    await presence(second).getByText(yamadaWriting).waitFor({ timeout: 15_000 });
    await second.screenshot({ path: screenshotPath('ticket-presence-writing'), fullPage: true });

    // The queue list marks the ticket for 佐藤.
    await second.goto(`${otherOrigin}/queues/${tenant.queue.id}`);
    await second
      .locator(`[data-reference="${reference}"] [data-presence-marker]`)
      .getByText(yamadaWriting)
      .waitFor({ timeout: 15_000 });
  }, 90_000);

  it("should show the shopper's new message while keeping the draft, and keep the draft over a reload until sent", async () => {
    const { reference, statusPath } = await newTicket();
    const page = await open();
    await logIn(page, deskOrigin, yamada.email);
    await page.goto(`${deskOrigin}/tickets/${reference}`);
    const draft = '下書き：ご注文番号を確認のうえ、\n改めてご連絡いたします。';
    await replyBox(page).fill(draft);

    await request(intake.getHttpServer())
      .post(`${statusPath}/replies`)
      .type('form')
      .send({ message: '先ほどの件、注文番号は ORD-777 です。' })
      .expect(303);
    await page
      .locator('#ticket-conversation')
      .getByText('先ほどの件、注文番号は ORD-777 です。')
      .waitFor({ timeout: 15_000 });
    expect(await replyBox(page).inputValue()).toBe(draft);
    expect(page.url()).toBe(`${deskOrigin}/tickets/${reference}`);

    // A reload (or a crash) loses nothing: the draft comes back from this browser.
    await page.reload();
    expect(await replyBox(page).inputValue()).toBe(draft);

    // Sent: the box is empty, and stays empty after a reload.
    await Promise.all([
      page.waitForURL(/done=replied/),
      page.getByRole('button', { name: K.replySubmit }).click(),
    ]);
    expect(await replyBox(page).inputValue()).toBe('');
    await page.goto(`${deskOrigin}/tickets/${reference}`);
    expect(await replyBox(page).inputValue()).toBe('');
  }, 90_000);

  it('should insert a canned response at the cursor on its own line and ask before replacing a selection', async () => {
    const { reference } = await newTicket();
    const page = await open();
    await logIn(page, deskOrigin, yamada.email);
    await page.goto(`${deskOrigin}/tickets/${reference}`);
    const box = replyBox(page);
    await box.fill('いつもありがとうございます。\nよろしくお願いいたします。');
    // The cursor after the first line's 。
    await select(page, 14, 14);
    await page.getByLabel(K.cannedLabel).selectOption({ label: '確認中のご連絡' });
    await page.getByRole('button', { name: K.cannedInsert, exact: true }).first().click();
    const filled = CANNED_BODY.replace('{{name}}', VALID_INQUIRY.name);
    expect(await replyValueOnce(page, (value) => value.includes(filled))).toBe(
      `いつもありがとうございます。\n${filled}\nよろしくお願いいたします。`,
    );

    // A selection: the agent is asked; declining inserts after it and replaces nothing.
    const before = await box.inputValue();
    await select(page, before.indexOf('よろしく'), before.length);
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: K.cannedInsert, exact: true }).first().click();
    expect(await replyValueOnce(page, (value) => value.length > before.length)).toBe(
      `${before}\n${filled}`,
    );
    expect(asked).toBe(K.presence.replaceSelection);
    await page.screenshot({ path: screenshotPath('ticket-canned-at-cursor'), fullPage: true });
  }, 90_000);
});
