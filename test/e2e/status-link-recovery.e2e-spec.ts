import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { loadConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import {
  STATUS_LINK_REQUESTS_PER_IP,
  STATUS_LINK_REQUESTS_PER_REFERENCE,
} from '@madoguchi/tickets';
import { DeskModule } from '../../apps/desk/src/desk.module';
import { STATUS_LINK_TEXTS } from '../../apps/intake/src/status-link/status-link.texts';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { withoutWordBreaks } from '../support/word-breaks';

const T = STATUS_LINK_TEXTS;

describe(`status-link recovery: reference + email → a new link by mail (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: INestApplication;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  let shoppers = 0;
  let clients = 0;

  const http = () => request(intake.getHttpServer());
  /** A client address of its own (TRUST_PROXY=1): each test starts with a fresh per-IP budget. */
  const newClient = () => `198.51.100.${(clients += 1)}`;

  /** The desk's outbox worker sends what the intake queued; returns the mails that went out. */
  const deliver = async () => {
    const before = smtp.messages.length;
    const { sent } = await desk.get(OutboxWorker).drainOnce();
    return sent > 0 ? (await smtp.waitFor(before + sent)).slice(before) : [];
  };

  /** An inquiry through the JSON API, its confirmation delivered; its reference, address and page. */
  const newTicket = async (site: TestTenant = tenant) => {
    shoppers += 1;
    const email = `lost-link-${shoppers}@example.jp`;
    const response = await http()
      .post(`/api/v1/sites/${site.site.slug}/inquiries`)
      .set('x-forwarded-for', newClient())
      .send({ name: '再送 花子', email, category: 'other', message: '確認です。', consent: true })
      .expect(201);
    await deliver();
    return {
      reference: response.body.reference as string,
      email,
      statusPath: new URL(response.body.statusUrl as string).pathname,
    };
  };

  const ask = (fields: { reference: string; email: string }, ip: string, site = tenant) =>
    http()
      .post(`/s/${site.site.slug}/status-link`)
      .set('x-forwarded-for', ip)
      .type('form')
      .send(fields);

  const outboxCount = () => testEnv.dataSource.manager.count(OutboxJob);

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
      TRUST_PROXY: '1',
    });
    intake = await startIntakeApp(testEnv);
    const deskConfig = loadConfig({ ...testEnv.env, OUTBOX_WORKER: 'off' });
    desk = await createFastifyApp(DeskModule.forRoot(deskConfig), deskConfig);
    await desk.init();
  });

  beforeEach(async () => {
    tenant = await createTestTenant(testEnv.dataSource, { siteName: 'さくら雑貨店' });
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should link the recovery page from the branded form and show its two fields', async () => {
    const form = await http().get(`/s/${tenant.site.slug}`).expect(200);
    expect(withoutWordBreaks(form.text)).toContain(T.recoveryHeading);
    expect(withoutWordBreaks(form.text)).toContain(`href="/s/${tenant.site.slug}/status-link"`);

    const page = await http().get(`/s/${tenant.site.slug}/status-link`).expect(200);
    expect(withoutWordBreaks(page.text)).toContain(T.heading);
    expect(page.text).toMatch(/<input[^>]+name="reference"/);
    expect(page.text).toMatch(/<input[^>]+name="email"[^>]+type="email"/);
    await http().get('/s/no-such-shop/status-link').expect(404);
  });

  it('should mail a new working link on a match (Reply-To like every mail) and retire the old one', async () => {
    const { reference, email, statusPath } = await newTicket();
    const ip = newClient();

    // As people type it: lower case, no hyphen; the address in capitals.
    const typed = {
      reference: reference.replace('-', '').toLowerCase(),
      email: email.toUpperCase(),
    };
    await ask(typed, ip)
      .expect(303)
      .expect('location', `/s/${tenant.site.slug}/status-link?sent=1`);

    const [mail] = await deliver();
    expect(mail.envelopeTo).toEqual([email]);
    expect(mail.subject).toContain(reference);
    expect(withoutWordBreaks(mail.text)).toContain('これまでのリンクは使えなくなりました');
    expect(mail.headers.get('reply-to')).toMatch(/reply\+[^@\s]+@inbound\.madoguchi\.test/);
    const link = /http:\/\/intake\.test(\/status\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    expect(link).not.toBe(statusPath);
    const page = await http()
      .get(link as string)
      .expect(200);
    expect(withoutWordBreaks(page.text)).toContain(reference);
    await http().get(statusPath).expect(404);
    await http()
      .post(`${statusPath}/replies`)
      .type('form')
      .send({ message: '古いリンク' })
      .expect(404);

    const sent = await http().get(`/s/${tenant.site.slug}/status-link?sent=1`).expect(200);
    expect(withoutWordBreaks(sent.text)).toContain(T.sent);
    const [event] = await testEnv.dataSource.manager.find(AuditEvent, {
      where: { action: AUDIT_ACTIONS.ticketStatusLinkReissued, targetId: reference },
    });
    expect(event).toMatchObject({
      actorType: 'end_user',
      merchantId: tenant.merchant.id,
      targetType: 'ticket',
      ip,
    });
  });

  it('should answer the same page and mail nothing when the reference and the address do not match', async () => {
    const { reference, email, statusPath } = await newTicket();
    const elsewhere = await createTestTenant(testEnv.dataSource);
    const other = await newTicket(elsewhere);
    const mails = await outboxCount();

    const answers = [
      await ask({ reference, email: 'someone.else@example.jp' }, newClient()),
      await ask({ reference: 'ZZZZ-ZZZZ', email }, newClient()),
      // Another shop's ticket, its own address: never through this shop's page.
      await ask({ reference: other.reference, email: other.email }, newClient()),
    ];

    for (const answer of answers) {
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe(`/s/${tenant.site.slug}/status-link?sent=1`);
      expect(answer.text).toBe('');
    }
    expect(await outboxCount()).toBe(mails);
    expect(await deliver()).toEqual([]);
    await http().get(statusPath).expect(200);
    await http().get(other.statusPath).expect(200);
  });

  it('should refuse an empty or malformed request with field errors, counting nothing', async () => {
    const empty = await ask({ reference: '', email: '' }, newClient()).expect(400);
    expect(withoutWordBreaks(empty.text)).toContain(T.errors.referenceRequired);
    expect(withoutWordBreaks(empty.text)).toContain(T.errors.emailRequired);

    const malformed = await ask({ reference: 'ABC', email: 'not-an-address' }, newClient()).expect(
      400,
    );
    expect(withoutWordBreaks(malformed.text)).toContain(T.errors.referenceInvalid);
    expect(withoutWordBreaks(malformed.text)).toContain(T.errors.emailInvalid);
    expect(withoutWordBreaks(malformed.text)).toContain('value="not-an-address"');
  });

  it(`should limit requests per client address (${STATUS_LINK_REQUESTS_PER_IP} an hour)`, async () => {
    const { reference, email } = await newTicket();
    const ip = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < STATUS_LINK_REQUESTS_PER_IP; i += 1) {
      const unknown = `ZZZZ-ZZ${'23456789'[i]}${'23456789'[i]}`;
      statuses.push((await ask({ reference: unknown, email }, ip)).status);
    }
    const mails = await outboxCount();

    const limited = await ask({ reference, email }, ip);

    expect(statuses).toEqual(Array(STATUS_LINK_REQUESTS_PER_IP).fill(303));
    expect(limited.status).toBe(429);
    expect(withoutWordBreaks(limited.text)).toContain(T.errors.rateLimited);
    expect(await outboxCount()).toBe(mails);
    // Another client is not affected.
    await ask({ reference, email }, newClient()).expect(303);
    expect(await deliver()).toHaveLength(1);
  });

  it(`should limit requests per reference (${STATUS_LINK_REQUESTS_PER_REFERENCE} an hour), from any address`, async () => {
    const { reference, email } = await newTicket();
    for (let i = 0; i < STATUS_LINK_REQUESTS_PER_REFERENCE; i += 1) {
      await ask({ reference, email: `guess-${i}@example.jp` }, newClient()).expect(303);
    }
    const mails = await outboxCount();

    const limited = await ask({ reference, email }, newClient());

    expect(limited.status).toBe(429);
    expect(await outboxCount()).toBe(mails);
    expect(await deliver()).toEqual([]);
  });
});
