import { readFile } from 'node:fs/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '@madoguchi/auth';
import { Attachment, Ticket } from '@madoguchi/tickets';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { INTAKE_ATTACHMENT_TEXTS } from '../../apps/intake/src/attachments/attachments.texts';
import { INQUIRY_FORM_TEXTS } from '../../apps/intake/src/inquiry/inquiry-form.texts';
import { THANK_YOU_TEXTS } from '../../apps/intake/src/inquiry/thank-you.texts';
import { plainPng } from '../support/attachment-fixtures';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const T = INQUIRY_FORM_TEXTS;
const PHONE_WIDTH = 375;
const LAPTOP_CONTEXT = {
  viewport: { width: 1366, height: 850 },
  locale: 'ja-JP',
  timezoneId: 'Asia/Tokyo',
  acceptDownloads: true,
};
// The project compiles without the DOM lib, so code that runs in the page is passed as text.
const SCROLL_WIDTH = 'document.documentElement.scrollWidth';

/**
 * The browser check: a shopper on a phone attaches a screenshot to the form (no
 * JavaScript needed) and sees it counted on the thank-you page; an agent opens the ticket in
 * the desk console and downloads the very same bytes.
 */
describe(`attachments in a browser: phone form → desk console (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let intakeOrigin: string;
  let deskOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let agent: User;
  const contexts: BrowserContext[] = [];

  const open = async (options: object): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    tenant = await createTestTenant(testEnv.dataSource, { siteName: 'さくら雑貨店' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should take a phone screenshot on the form and let an agent download it from the console', async () => {
    const screenshot = plainPng(390, 844);

    // The shopper, on a phone without JavaScript: a plain multipart form.
    const shopper = await open({ ...PHONE_CONTEXT, javaScriptEnabled: false });
    await shopper.goto(`${intakeOrigin}/s/${tenant.site.slug}`);
    await shopper.getByLabel(T.fields.name.label).fill(VALID_INQUIRY.name);
    await shopper.getByLabel(T.fields.email.label).fill(VALID_INQUIRY.email);
    await shopper.getByLabel(T.fields.category.label).selectOption('suspicious_contact');
    await shopper
      .getByLabel(T.fields.message.label)
      .fill('このSMSが届きました。画面を添付します。');
    await shopper.getByLabel(INTAKE_ATTACHMENT_TEXTS.label).setInputFiles({
      name: 'sms-screenshot.png',
      mimeType: 'image/png',
      buffer: screenshot,
    });
    await shopper.getByLabel(T.form.consentLabel).check();
    await shopper.screenshot({ path: screenshotPath('attachments-form-phone'), fullPage: true });
    expect(await shopper.evaluate<number>(SCROLL_WIDTH)).toBeLessThanOrEqual(PHONE_WIDTH);
    await Promise.all([
      shopper.waitForURL(/\/thanks\?ref=/),
      shopper.getByRole('button', { name: T.form.submit }).click(),
    ]);
    await shopper.getByRole('heading', { level: 1, name: THANK_YOU_TEXTS.heading }).waitFor();
    await shopper.getByText('添付ファイルを1点受け付けました。').waitFor();
    await shopper.screenshot({ path: screenshotPath('attachments-thanks-phone'), fullPage: true });
    const reference = new URL(shopper.url()).searchParams.get('ref') ?? '';
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
    expect(await testEnv.dataSource.manager.countBy(Attachment, { ticketId: ticket.id })).toBe(1);

    // The agent logs in, opens the ticket and downloads the file from its message.
    const agentPage = await open(LAPTOP_CONTEXT);
    await agentPage.goto(`${deskOrigin}/login`);
    await agentPage.getByLabel(LOGIN_TEXTS.login.email).fill(agent.email);
    await agentPage.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      agentPage.waitForURL(`${deskOrigin}/`),
      agentPage.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
    await agentPage.goto(`${deskOrigin}/tickets/${reference}`);
    const link = agentPage.locator('a[data-attachment-id]');
    await link.waitFor();
    expect((await link.textContent())?.trim()).toBe('sms-screenshot.png');
    await agentPage.screenshot({ path: screenshotPath('attachments-console'), fullPage: true });
    const [download] = await Promise.all([agentPage.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('sms-screenshot.png');
    const bytes = await readFile((await download.path()) as string);
    expect(Buffer.compare(bytes, screenshot)).toBe(0);
  });
});
