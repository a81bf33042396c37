import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { loadConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY, Ticket } from '@madoguchi/tickets';
import { DeskModule } from '../../apps/desk/src/desk.module';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** What a phisher types into the name field, to have it mailed in the merchant's name. */
const PHISHING_NAME =
  '【重要】お支払い情報の再登録 https://evil.example/login ｈｔｔｐｓ：／／ｅｖｉｌ．ｅｘａｍｐｌｅ';

describe(`abuse of the public intake (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: INestApplication;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;

  const submit = (app: NestFastifyApplication, fields: Record<string, string>) =>
    request(app.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, ...fields });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
    });
    intake = await startIntakeApp(testEnv);
    const deskConfig = loadConfig({ ...testEnv.env, OUTBOX_WORKER: 'off' });
    desk = await createFastifyApp(DeskModule.forRoot(deskConfig), deskConfig);
    await desk.init();
    tenant = await createTestTenant(testEnv.dataSource, {
      senderName: 'さくら雑貨店 お問い合わせ窓口',
    });
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('the confirmation mail is not a phishing relay', () => {
    it('should keep typed text out of the subject and the first lines, and defuse its links', async () => {
      const victim = 'victim.one@example.jp';
      await submit(intake, { email: victim, name: PHISHING_NAME }).expect(201);
      await desk.get(OutboxWorker).drainOnce();
      const [mail] = await smtp.waitFor(1, 5000);
      expect(mail.envelopeTo).toEqual([victim]);
      expect(mail.subject).not.toContain('重要');
      expect(mail.subject).not.toContain('evil');
      const lines = mail.text.split('\n');
      expect(lines.slice(0, 4).join('\n')).not.toContain('重要');
      expect(mail.text).not.toMatch(/https?:\/\/evil/i);
      expect(mail.text).not.toContain('evil.example');
      expect(mail.text).not.toContain('ｅｖｉｌ');
      expect(mail.text).toContain('hxxps[:]//evil[.]example');
      // The message body is never repeated.
      expect(mail.text).not.toContain(VALID_INQUIRY.message);
    });

    it(`should mail at most ${CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY} receipts to one address a day, and still take every inquiry (201)`, async () => {
      const victim = 'Victim.Two@example.jp';
      const references: string[] = [];
      for (let i = 0; i < CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY + 2; i++) {
        // Any spelling of the address is the same person (its blind index).
        const email = i % 2 === 0 ? victim : victim.toLowerCase();
        const response = await submit(intake, { email }).expect(201);
        references.push(response.body.reference as string);
      }
      const tickets = await testEnv.dataSource.getRepository(Ticket).find({
        where: references.map((reference) => ({ reference })),
      });
      expect(tickets).toHaveLength(CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY + 2);
      const jobs = await testEnv.dataSource.getRepository(OutboxJob).find({
        where: tickets.map((ticket) => ({ ticketId: ticket.id })),
      });
      expect(jobs).toHaveLength(CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY);
      const created = await testEnv.dataSource.getRepository(AuditEvent).find({
        where: references.map((reference) => ({ action: 'ticket.created', targetId: reference })),
        order: { id: 'ASC' },
      });
      expect(created.map((event) => JSON.parse(event.detail ?? '{}').confirmationMail)).toEqual([
        ...Array<string>(CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY).fill('queued'),
        'capped',
        'capped',
      ]);
      // Another address is not affected.
      const other = await submit(intake, { email: 'someone.else@example.jp' }).expect(201);
      const otherTicket = await testEnv.dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ reference: other.body.reference as string });
      expect(
        await testEnv.dataSource.getRepository(OutboxJob).countBy({ ticketId: otherTicket.id }),
      ).toBe(1);
      await desk.get(OutboxWorker).drainOnce();
    });
  });

  describe('rate limits decided on the matched route', () => {
    it('should count a percent-encoded status-page path like the plain one', async () => {
      const limited = await startIntakeApp(testEnv, { INTAKE_RATE_LIMIT_PER_MINUTE: '3' });
      try {
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 5; attempt++) {
          // `%73tatus` is `status`: the router matches /status/:token; the raw URL differs.
          const guess = await request(limited.getHttpServer()).get(
            `/%73tatus/${attempt}${'G'.repeat(42)}`,
          );
          statuses.push(guess.status);
        }
        expect(statuses).toEqual([404, 404, 404, 429, 429]);
      } finally {
        await limited.close();
      }
    });

    it('should count the public incident page, however it is spelt, and not a form read', async () => {
      const limited = await startIntakeApp(testEnv, { INTAKE_RATE_LIMIT_PER_MINUTE: '2' });
      try {
        const statuses: number[] = [];
        for (const path of [
          `/s/${tenant.site.slug}/incident`,
          `/s/${tenant.site.slug}/%69ncident`,
          `/s/${tenant.site.slug}/incident`,
        ]) {
          statuses.push((await request(limited.getHttpServer()).get(path)).status);
        }
        expect(statuses.slice(-1)).toEqual([429]);
        // Reading the form is exempt, limit or not.
        await request(limited.getHttpServer()).get(`/s/${tenant.site.slug}`).expect(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('the status page and its audit writes', () => {
    it('should audit repeated views of one ticket from one address once per window', async () => {
      const response = await submit(intake, { email: 'viewer@example.jp' }).expect(201);
      const path = new URL(response.body.statusUrl as string).pathname;
      for (let i = 0; i < 5; i++) await request(intake.getHttpServer()).get(path).expect(200);
      const viewed = await testEnv.dataSource.getRepository(AuditEvent).countBy({
        action: 'ticket.status_page_viewed',
        targetId: response.body.reference as string,
      });
      expect(viewed).toBe(1);
      await desk.get(OutboxWorker).drainOnce();
    });
  });
});
