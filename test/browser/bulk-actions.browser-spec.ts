import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { User } from '@madoguchi/auth';
import { CannedResponse, Message, Ticket } from '@madoguchi/tickets';
import { formatText } from '@madoguchi/ui';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { BULK_TEXTS } from '../../apps/desk/src/console/bulk/bulk.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const T = BULK_TEXTS;

/**
 * Issue 15, as the issue names it: an agent selects twenty tickets of a queue and resolves them
 * with a canned reply. The header checkbox selects the page (console.js), two rows are
 * unchecked again, the preview says 20, the run answers with the stored result page (a reload
 * posts nothing again), and each of the twenty tickets got the reply exactly once.
 */
describe(`bulk actions in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let deskOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let agent: User;
  const contexts: BrowserContext[] = [];
  const references: string[] = [];

  const open = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    deskOrigin = await listenOnLoopback(desk);
    tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '佐藤 一郎',
    });
    for (let i = 0; i < 22; i += 1) {
      const response = await request(intake.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send({ ...VALID_INQUIRY, name: `購入者 ${i + 1}` })
        .expect(201);
      references.push((response.body as { reference: string }).reference);
    }
    const now = new Date();
    await testEnv.dataSource.manager.insert(CannedResponse, {
      merchantId: null,
      title: '対応完了のご連絡',
      body: '{{name}}様\nお問い合わせ（{{reference}}）の対応が完了しました。',
      createdAt: now,
      updatedAt: now,
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should let an agent select twenty tickets and resolve them with a canned reply', async () => {
    const page = await open();
    await page.goto(`${deskOrigin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(agent.email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(`${deskOrigin}/`),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
    await page.goto(`${deskOrigin}/queues/${tenant.queue.id}`);

    // Select the whole page with the header checkbox, then leave two out.
    await page.getByRole('checkbox', { name: T.toolbar.selectAllOnPage }).check();
    const rows = page.locator('input.bulk-select');
    expect(await rows.count()).toBe(22);
    const listed = await rows.evaluateAll((boxes) =>
      boxes.map((box) => (box as unknown as { value: string }).value),
    );
    const left = listed.slice(20);
    for (const reference of left) {
      await page
        .getByRole('checkbox', { name: formatText(T.toolbar.selectRow, { reference }) })
        .uncheck();
    }
    const chosen = listed.slice(0, 20);

    await page.locator('.bulk-toolbar > summary').click();
    await page.getByLabel(T.toolbar.action, { exact: true }).selectOption('canned_reply');
    await page.getByLabel(T.toolbar.canned).selectOption({ label: '対応完了のご連絡' });
    await page
      .getByLabel(T.toolbar.nextStatus)
      .selectOption({ label: SHARED_TEXTS.statuses.resolved });
    await Promise.all([
      page.waitForURL(/\/bulk-actions\/\d+$/),
      page.getByRole('button', { name: T.toolbar.submit }).click(),
    ]);
    const runUrl = page.url();

    // The preview: the action, the count, the text; nothing sent yet.
    await page.getByRole('heading', { level: 1, name: T.preview.heading }).waitFor();
    expect(await page.locator('[data-bulk-count]').getAttribute('data-bulk-count')).toBe('20');
    expect(await page.locator('.bulk-canned').textContent()).toContain('{{reference}}');
    await page.screenshot({ path: screenshotPath('bulk-preview'), fullPage: true });
    expect(await testEnv.dataSource.manager.countBy(Message, { kind: 'reply' })).toBe(0);

    await Promise.all([
      page.waitForURL(runUrl),
      page.getByRole('button', { name: T.preview.run }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: T.result.heading }).waitFor();
    expect(await page.locator('.bulk-result-summary').textContent()).toContain(
      formatText(T.result.summary, { done: 20, skipped: 0, total: 20 }),
    );
    await page.screenshot({ path: screenshotPath('bulk-result'), fullPage: true });
    // A reload is a GET of the stored result.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: T.result.heading }).waitFor();

    for (const reference of references) {
      const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
      const replies = await testEnv.dataSource.manager.countBy(Message, {
        ticketId: ticket.id,
        kind: 'reply',
      });
      const expected = chosen.includes(reference)
        ? { status: 'resolved', replies: 1 }
        : { status: 'new', replies: 0 };
      expect({ reference, status: ticket.status, replies }).toEqual({ reference, ...expected });
    }
  }, 120_000);
});
