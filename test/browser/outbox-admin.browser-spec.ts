import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

/**
 * Issue 18: an admin works the outbox page on a phone (375 px) and on a desktop (1280 px): the
 * page does not scroll sideways (the table scrolls in its own box), and retrying a dead mail
 * from the page makes it pending again with the notice shown.
 */
describe(`outbox page in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let deskOrigin: string;
  let browser: Browser;
  let adminEmail: string;
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

  // The project compiles without the DOM lib, so code that runs in the page is passed as text.
  const sideways = (page: Page) =>
    page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
    adminEmail = (await createTestUser(testEnv.dataSource, { role: 'admin' })).email;
    const outbox = desk.get(OutboxService);
    for (let i = 0; i < 3; i++) {
      const id = await testEnv.dataSource.transaction((manager) =>
        outbox.enqueueMail(manager, {
          to: `customer.${i}@example.com`,
          fromName: 'ブラウザ商店 お客様窓口',
          subject: '件名',
          text: '本文',
        }),
      );
      await testEnv.dataSource.getRepository(OutboxJob).update(
        { id },
        {
          status: 'dead',
          attempts: 12,
          lastError: '550 5.1.1 mailbox unavailable: the recipient [address] does not exist here',
        },
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should fit a phone and a desktop, and retry a dead mail from the page', async () => {
    const phone = await open(PHONE_CONTEXT);
    await phone.goto(`${deskOrigin}/admin/outbox`);
    await phone.getByRole('heading', { level: 1, name: '未送信メール' }).waitFor();
    expect(await sideways(phone)).toBeLessThanOrEqual(1);
    await phone.screenshot({ path: screenshotPath('outbox-admin-375'), fullPage: true });

    const desktop = await open({ viewport: { width: 1280, height: 900 } });
    await desktop.goto(`${deskOrigin}/admin/outbox`);
    expect(await sideways(desktop)).toBeLessThanOrEqual(1);
    expect(await desktop.locator('[data-count="dead"]').textContent()).toBe('3');

    await phone.locator('ol[data-state="dead"] button', { hasText: '再送する' }).first().click();
    await phone.getByText('メールを再送の対象にしました。').waitFor();
    expect(await phone.locator('[data-count="dead"]').textContent()).toBe('2');
    expect(await phone.locator('[data-count="pending"]').textContent()).toBe('1');
    expect(await sideways(phone)).toBeLessThanOrEqual(1);
  }, 180_000);
});
