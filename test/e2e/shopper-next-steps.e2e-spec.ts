import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { FixedClock } from '@madoguchi/common';
import { Ticket } from '@madoguchi/tickets';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const FORM = {
  name: VALID_INQUIRY.name,
  email: VALID_INQUIRY.email,
  category: VALID_INQUIRY.category,
  message: VALID_INQUIRY.message,
  consent: 'on',
  website: '',
};
const tokyo = (local: string) => new Date(`${local}+09:00`);
// A Friday evening: the desk has closed for the week, so the first answer is due on Monday.
const FRIDAY_EVENING = tokyo('2026-12-04T19:30:00');
const MONDAY_DUE = '通常、1営業日以内（12月7日(月) 18:00 頃まで）にご回答します。';
const GENERAL =
  '通常、1営業日以内にご回答します（営業時間は平日10:00〜18:00。土日祝日・休業日を除きます）。';
const MASKED = 'h***@e***.jp';

describe(`the shopper knows what happens next (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  const clock = new FixedClock(FRIDAY_EVENING);
  const http = () => request(app.getHttpServer());

  /** Sends the form; returns the thank-you page's address and the ticket. */
  const sendForm = async (): Promise<{ location: URL; ticket: Ticket }> => {
    const response = await http()
      .post(`/s/${tenant.site.slug}`)
      .type('form')
      .send(FORM)
      .expect(303);
    const location = new URL(response.headers.location, 'http://intake.test');
    const reference = location.searchParams.get('ref') ?? '';
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
    return { location, ticket };
  };

  const thanksPath = (query: Record<string, string>) =>
    `/s/${tenant.site.slug}/thanks?${new URLSearchParams(query).toString()}`;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    app = await startIntakeApp(testEnv, {}, { clock });
    tenant = await createTestTenant(testEnv.dataSource, { brandColor: '#d0021b' });
  });

  beforeEach(() => clock.set(FRIDAY_EVENING));

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  it('should say on the form when an answer can be expected, from the targets and the calendar', async () => {
    const form = await http().get(`/s/${tenant.site.slug}`).expect(200);
    expect(form.text).toContain(GENERAL);
  });

  it('should show on the thank-you page where the receipt went (masked) and the ticket’s first-response due', async () => {
    const { location, ticket } = await sendForm();
    expect(ticket.firstResponseDueAt).toEqual(tokyo('2026-12-07T18:00:00'));
    // The redirect carries the address masked only, and the ticket's own due.
    expect(location.href).not.toContain(encodeURIComponent(VALID_INQUIRY.email));
    expect(location.href).not.toContain('hanako');
    expect(location.searchParams.get('to')).toBe(MASKED);
    expect(location.searchParams.get('due')).toBe(ticket.firstResponseDueAt!.toISOString());
    const thanks = await http().get(`${location.pathname}${location.search}`).expect(200);
    expect(thanks.text).toContain(`<p class="receipt-address" translate="no">${MASKED}</p>`);
    expect(thanks.text).toContain(MONDAY_DUE);
    expect(thanks.text).not.toContain(VALID_INQUIRY.email);
  });

  it('should show only the shapes the redirect gives: no unmasked address, no made-up or past due', async () => {
    const { ticket } = await sendForm();
    const due = ticket.firstResponseDueAt!.toISOString();
    const ref = ticket.reference;
    for (const to of [VALID_INQUIRY.email, 'お電話を***@e***.jp', '<b>x</b>***@e***.jp']) {
      const page = await http().get(thanksPath({ ref, to, due })).expect(200);
      expect(page.text).not.toContain('receipt-address');
      expect(page.text).not.toContain('お電話を');
      expect(page.text).not.toContain('<b>x</b>');
    }
    // Later than a ticket opened now could be due, not a date, or already past: the general words.
    for (const made of ['2027-01-20T09:00:00.000Z', 'tomorrow', '2026-12-01T09:00:00.000Z']) {
      const page = await http()
        .get(thanksPath({ ref, to: MASKED, due: made }))
        .expect(200);
      expect(page.text).toContain(GENERAL);
      expect(page.text).not.toContain('頃まで');
    }
  });

  it('should show the due on the status page, then that it is late, then nothing once answered', async () => {
    const response = await http()
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const statusPath = new URL(response.body.statusUrl).pathname;
    const page = await http().get(statusPath).expect(200);
    expect(page.text).toContain(MONDAY_DUE);
    // 受付済み in an informative colour, not the shop's alarm-red brand.
    expect(page.text).toMatch(
      /<span class="status-badge status-badge--info">\s*受付済み\s*<\/span>/,
    );

    clock.set(tokyo('2026-12-07T18:00:00'));
    const late = await http().get(statusPath).expect(200);
    expect(late.text).not.toContain('頃まで');
    expect(late.text).toContain('ご回答までお時間をいただいております');

    // The agent answered and asked the shopper something (set up in the database directly).
    await testEnv.dataSource.manager.update(
      Ticket,
      { reference: response.body.reference },
      { firstRespondedAt: tokyo('2026-12-07T11:00:00'), status: 'pending_customer' },
    );
    const answered = await http().get(statusPath).expect(200);
    expect(answered.text).not.toContain('expected-answer');
    expect(answered.text).toMatch(/status-badge--action">\s*お客様のご返信待ち/);
  });

  it('should show a way forward at an unknown site address: the phone window and its hours, still 404', async () => {
    for (const path of ['/s/no-such-shop', '/s/no-such-shop/incident', '/s/no-such-shop/thanks']) {
      const page = await http().get(path).expect(404);
      expect(page.text).toContain('ページが見つかりません');
      expect(page.text).toContain('href="tel:+81367447492"');
      expect(page.text).toContain('03-6744-7492');
      expect(page.text).toContain('（平日10:00〜18:00）');
      // Unbranded: nothing says whether a shop of that name exists.
      expect(page.text).not.toContain('site-header');
    }
  });
});
