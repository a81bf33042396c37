import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { Rule, Ticket } from '@madoguchi/tickets';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 15, rules (docs/rules.md): an admin adds an intake rule in the browser at 1280 px, the
 * list fits a phone (375 px), and the next inquiry with the word in half-width katakana opens
 * as 緊急.
 */
describe(`rules admin in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let deskOrigin: string;
  let browser: Browser;
  let adminEmail: string;
  let tenant: TestTenant;
  const contexts: BrowserContext[] = [];

  const open = async (options: object): Promise<Page> => {
    const context = await browser.newContext({ locale: 'ja-JP', ...options });
    contexts.push(context);
    const page = await context.newPage();
    const session = await loginAs(desk, adminEmail);
    await context.addCookies(
      session.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name, value: value.join('='), url: deskOrigin };
      }),
    );
    return page;
  };

  const sideways = (page: Page) =>
    page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'ブラウザルール商店' });
    desk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
    intake = await startIntakeApp(testEnv);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
    adminEmail = (await createTestUser(testEnv.dataSource, { role: 'admin' })).email;
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should add a rule from the page and apply it to the next inquiry', async () => {
    const page = await open({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${deskOrigin}/admin/rules`);
    await page.getByRole('heading', { level: 1, name: '自動ルール' }).waitFor();
    await page.getByRole('link', { name: '受付時のルールを追加' }).click();
    await page.getByLabel('ルール名').fill('カードは緊急（ブラウザ）');
    await page.getByLabel('対象の加盟店').selectOption({ label: 'ブラウザルール商店' });
    await page.getByLabel('キーワード（選ばなければすべて）').fill('カード\n不正利用');
    await page.getByLabel('設定する優先度').selectOption({ label: '緊急' });
    await page.getByRole('button', { name: '追加する' }).click();
    await page.getByText('ルールを追加しました。').waitFor();
    expect(await page.getByRole('cell', { name: 'ブラウザルール商店' }).count()).toBe(1);
    const rule = await testEnv.dataSource
      .getRepository(Rule)
      .findOneByOrFail({ name: 'カードは緊急（ブラウザ）' });
    expect(rule).toMatchObject({ merchantId: tenant.merchant.id, enabled: true });

    const phone = await open(PHONE_CONTEXT);
    await phone.goto(`${deskOrigin}/admin/rules`);
    await phone.getByRole('heading', { level: 1, name: '自動ルール' }).waitFor();
    expect(await sideways(phone)).toBeLessThanOrEqual(1);
    await phone.screenshot({ path: screenshotPath('rules-admin-375'), fullPage: true });

    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, message: 'ｶｰﾄﾞの請求に覚えがありません。' })
      .expect(201);
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: (response.body as { reference: string }).reference });
    expect(ticket.priority).toBe('urgent');
  });
});
