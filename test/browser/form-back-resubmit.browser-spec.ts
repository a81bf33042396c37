import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OutboxJob } from '@madoguchi/mail';
import { Ticket } from '@madoguchi/tickets';
import { INQUIRY_FORM_TEXTS } from '../../apps/intake/src/inquiry/inquiry-form.texts';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT } from '../support/browser';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const T = INQUIRY_FORM_TEXTS;

/**
 * Issue 15: Back + 送信 on the inquiry form makes one ticket. Chromium loads the form again on
 * Back (the page is no-store), so the page carries a new one-time token: the same requester's
 * same text on the same site within 30 minutes is what recognises the second post.
 */
describe(`the inquiry form sent again after Back (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let tenant: TestTenant;

  const fill = async () => {
    await page.getByLabel(T.fields.name.label).fill(VALID_INQUIRY.name);
    await page.getByLabel(T.fields.email.label).fill(VALID_INQUIRY.email);
    await page.getByLabel(T.fields.phone.label).fill(VALID_INQUIRY.phone);
    await page.getByLabel(T.fields.category.label).selectOption(VALID_INQUIRY.category);
    await page.getByLabel(T.fields.message.label).fill(VALID_INQUIRY.message);
    await page.getByLabel(T.form.consentLabel).check();
  };

  const send = async (): Promise<string> => {
    await Promise.all([
      page.waitForURL((url) => url.pathname.endsWith('/thanks')),
      page.getByRole('button', { name: T.form.submit }).click(),
    ]);
    return new URL(page.url()).searchParams.get('ref') ?? '';
  };

  const token = () => page.locator('input[name="form_token"]').getAttribute('value');

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    origin = await listenOnLoopback(intake);
    browser = await launchBrowser();
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should make one ticket when the shopper fills, sends, goes Back and sends again', async () => {
    context = await browser.newContext({ ...PHONE_CONTEXT, javaScriptEnabled: true });
    page = await context.newPage();
    await page.goto(`${origin}/s/${tenant.site.slug}`);
    const firstToken = await token();
    await fill();
    const first = await send();

    await page.goBack();
    await page.getByRole('button', { name: T.form.submit }).waitFor();
    // What the browser kept is not ours to decide: the shopper fills in the same again.
    await fill();
    const secondToken = await token();
    const second = await send();

    expect(firstToken).toBeTruthy();
    expect(secondToken).toBeTruthy();
    expect(second).toBe(first);
    const tickets = await testEnv.dataSource.manager.findBy(Ticket, {
      merchantId: tenant.merchant.id,
    });
    expect(tickets.map((ticket) => ticket.reference)).toEqual([first]);
    expect(await testEnv.dataSource.manager.countBy(OutboxJob, { ticketId: tickets[0].id })).toBe(
      1,
    );
  });
});
