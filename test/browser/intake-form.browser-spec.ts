import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { buildCryptoKeys, FieldCipher } from '@madoguchi/crypto';
import { OutboxJob, type OutgoingMail } from '@madoguchi/mail';
import { Message, Ticket } from '@madoguchi/tickets';
import { INQUIRY_FORM_TEXTS } from '../../apps/intake/src/inquiry/inquiry-form.texts';
import { THANK_YOU_TEXTS } from '../../apps/intake/src/inquiry/thank-you.texts';
import { STATUS_PAGE_TEXTS } from '../../apps/intake/src/status-page/status-page.texts';
import { INTAKE_SHARED_TEXTS } from '../../apps/intake/src/web/shared.texts';
import { launchBrowser, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** Crockford-style references: no I, L, O, 0 or 1. */
const REFERENCE = /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/;
const PHONE_WIDTH = 375;
const T = INQUIRY_FORM_TEXTS;

// The project compiles without the DOM lib, so code that runs in the page is passed as text.
const SCROLL_WIDTH = 'document.documentElement.scrollWidth';
const SKIP_BROWSER_VALIDATION = "document.querySelector('form.form').noValidate = true";

describe(`intake form in a phone browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let browser: Browser;
  let cipher: FieldCipher;
  let origin: string;
  let tenant: TestTenant;
  let context: BrowserContext;
  let page: Page;

  const formUrl = () => `${origin}/s/${tenant.site.slug}`;

  /** A phone without JavaScript unless asked: the pages must work on plain HTML forms. */
  const openPhone = async (javaScriptEnabled = false): Promise<Page> => {
    context = await browser.newContext({ ...PHONE_CONTEXT, javaScriptEnabled });
    return context.newPage();
  };

  const goto = async (url: string): Promise<Response> => {
    const response = await page.goto(url);
    if (!response) throw new Error(`no response for ${url}`);
    return response;
  };

  /** Clicks a submit button and returns the response to the form's POST (before any redirect). */
  const submit = async (name: string): Promise<Response> => {
    const [response] = await Promise.all([
      page.waitForResponse((each) => each.request().method() === 'POST'),
      page.getByRole('button', { name }).click(),
    ]);
    await page.waitForLoadState('load');
    return response;
  };

  /** Fills the form the way a shopper does: by the visible (Japanese) labels. */
  const fillForm = async (values: { email?: string; message?: string; consent?: boolean } = {}) => {
    await page.getByLabel(T.fields.name.label).fill(VALID_INQUIRY.name);
    await page.getByLabel(T.fields.email.label).fill(values.email ?? VALID_INQUIRY.email);
    await page.getByLabel(T.fields.phone.label).fill(VALID_INQUIRY.phone);
    await page.getByLabel(T.fields.orderNumber.label).fill(VALID_INQUIRY.orderNumber);
    await page.getByLabel(T.fields.category.label).selectOption(VALID_INQUIRY.category);
    await page.getByLabel(T.fields.message.label).fill(values.message ?? VALID_INQUIRY.message);
    if (values.consent ?? true) await page.getByLabel(T.form.consentLabel).check();
  };

  /** Sends a valid inquiry from the form and returns the reference shown on the thank-you page. */
  const sendInquiry = async (message?: string): Promise<string> => {
    expect((await goto(formUrl())).status()).toBe(200);
    await fillForm({ message });
    expect((await submit(T.form.submit)).status()).toBe(303);
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/s/${tenant.site.slug}/thanks`);
    return url.searchParams.get('ref') ?? '';
  };

  /** The link of the newest confirmation mail, pointed at the running server. */
  const statusLinkFromMail = async (): Promise<string> => {
    const [job] = await testEnv.dataSource.manager.find(OutboxJob, {
      order: { id: 'DESC' },
      take: 1,
    });
    const mail = JSON.parse(cipher.decrypt(job.payload)) as OutgoingMail;
    expect(mail.to).toBe(VALID_INQUIRY.email);
    const link = /https?:\/\/\S+\/status\/\S+/.exec(mail.text)?.[0];
    if (!link) throw new Error('no status link in the confirmation mail');
    const url = new URL(link);
    expect(url.origin).toBe('http://intake.test');
    return `${origin}${url.pathname}`;
  };

  /** Text of each element the control's aria-describedby points at. */
  const describedBy = async (selector: string): Promise<string[]> => {
    const ids = (await page.locator(selector).getAttribute('aria-describedby')) ?? '';
    const texts: string[] = [];
    for (const id of ids.split(/\s+/).filter(Boolean)) {
      texts.push((await page.locator(`[id="${id}"]`).textContent()) ?? '');
    }
    return texts;
  };

  /** Asserts the page fits a 375 px phone and keeps a full-page screenshot for review. */
  const checkFitsPhone = async (name: string) => {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    // Evaluated in a JS-disabled page too: Playwright's own script world still runs.
    const scrollWidth = await page.evaluate<number>(SCROLL_WIDTH);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE_WIDTH);
  };

  const ticketsOfTenant = () =>
    testEnv.dataSource.manager.countBy(Ticket, { merchantId: tenant.merchant.id });

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    cipher = new FieldCipher(
      buildCryptoKeys(testEnv.env.FIELD_ENCRYPTION_KEYS, testEnv.env.BLIND_INDEX_KEY),
    );
    app = await startIntakeApp(testEnv);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    tenant = await createTestTenant(testEnv.dataSource, {
      siteName: 'さくら雑貨店',
      brandColor: '#aa3355',
    });
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await testEnv?.cleanup();
  });

  it('should take a shopper’s inquiry without JavaScript and show the reference on the thank-you page', async () => {
    page = await openPhone();
    const reference = await sendInquiry();

    expect(reference).toMatch(REFERENCE);
    await page.getByRole('heading', { level: 1, name: THANK_YOU_TEXTS.heading }).waitFor();
    expect(await page.getByText(reference, { exact: true }).isVisible()).toBe(true);
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
    expect(ticket).toMatchObject({ status: 'new', channel: 'web', queueId: tenant.queue.id });
    const [message] = await testEnv.dataSource.manager.findBy(Message, { ticketId: ticket.id });
    // The browser's UTF-8 form encoding of Japanese text arrives intact.
    expect(cipher.decrypt(message.body!)).toBe(VALID_INQUIRY.message);
  });

  it('should bring the form back with 400, the email error beside its field, the name kept and nothing stored', async () => {
    page = await openPhone(true);
    await goto(formUrl());
    await fillForm({ email: 'not-an-email', consent: false });
    await page.evaluate(SKIP_BROWSER_VALIDATION);

    const response = await submit(T.form.submit);

    expect(response.status()).toBe(400);
    expect(new URL(page.url()).pathname).toBe(`/s/${tenant.site.slug}`);
    expect(await page.title()).toMatch(
      new RegExp(`^${INTAKE_SHARED_TEXTS.common.errorTitlePrefix}`),
    );
    const email = page.getByLabel(T.fields.email.label);
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.inputValue()).toBe('not-an-email');
    expect((await describedBy('#f-email')).join('\n')).toContain(T.validation.email.invalid);
    expect(await page.locator('#f-consent').getAttribute('aria-invalid')).toBe('true');
    expect((await describedBy('#f-consent')).join('\n')).toContain(T.validation.consent.required);
    expect(await page.getByLabel(T.fields.name.label).inputValue()).toBe(VALID_INQUIRY.name);
    expect(await page.getByLabel(T.fields.name.label).getAttribute('aria-invalid')).toBeNull();
    await checkFitsPhone('form-errors');
    expect(await ticketsOfTenant()).toBe(0);
  });

  it('should let the shopper open the status link from the mail, see their message and send a reply', async () => {
    page = await openPhone();
    const reference = await sendInquiry();
    const statusUrl = await statusLinkFromMail();

    expect((await goto(statusUrl)).status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: STATUS_PAGE_TEXTS.heading }).waitFor();
    expect(await page.locator('.meta').textContent()).toContain(reference);
    const thread = page.locator('.thread');
    expect(await thread.textContent()).toContain(VALID_INQUIRY.message);

    const reply = '注文確認メールの件名もお伝えします。「ご注文ありがとうございます」です。';
    await page.getByRole('textbox', { name: STATUS_PAGE_TEXTS.replyLabel }).fill(reply);
    expect((await submit(STATUS_PAGE_TEXTS.replySubmit)).status()).toBe(303);

    expect(page.url()).toBe(`${statusUrl}?sent=1`);
    expect(await page.getByRole('status').textContent()).toContain(STATUS_PAGE_TEXTS.replySent);
    const messages = await thread.locator('.msg__body').allTextContents();
    expect(messages).toEqual([VALID_INQUIRY.message, reply]);
    expect(await thread.locator('.msg').last().getAttribute('class')).toContain('msg--customer');
  });

  it('should fit a 375 px phone without horizontal scrolling on the form, thank-you and status pages', async () => {
    page = await openPhone();
    await goto(formUrl());
    await checkFitsPhone('form');

    // A pasted URL is the longest unbreakable text a shopper is likely to send.
    const message = `${VALID_INQUIRY.message}\nhttps://shop.example.jp/mypage/orders/ORD-20260401-7781?utm_source=mail&utm_medium=confirmation&utm_campaign=spring_sale_2026`;
    await fillForm({ message });
    expect((await submit(T.form.submit)).status()).toBe(303);
    await checkFitsPhone('thanks');

    await goto(await statusLinkFromMail());
    await checkFitsPhone('status');

    await page
      .getByRole('textbox', { name: STATUS_PAGE_TEXTS.replyLabel })
      .fill('追加のご連絡です。');
    await submit(STATUS_PAGE_TEXTS.replySubmit);
    await checkFitsPhone('status-sent');
  });
});
