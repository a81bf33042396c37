import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { type OutgoingMail, OutboxJob, OutboxService } from '@madoguchi/mail';
import { Merchant } from '@madoguchi/tenancy';
import { DeskJobsRunner } from '@madoguchi/jobs';
import { handBackPromise, Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { dumpDatabase, startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const MERCHANT_IP = '198.51.100.77';
const QUESTION = 'ご注文の発送状況（出荷済みかどうか）を教えてください。';
const SECOND_QUESTION = '返品の受付期限も併せて教えてください。';
const ANSWER = '該当のご注文は4月2日に出荷済みです。';
const PRIVACY_RULE = 'お客様の個人情報を書かないでください';
/** Personal data of VALID_INQUIRY a merchant mail must never carry. */
const PERSONAL = [
  VALID_INQUIRY.name,
  VALID_INQUIRY.email,
  VALID_INQUIRY.phone,
  VALID_INQUIRY.orderNumber,
  VALID_INQUIRY.message,
];

describe(`merchant collaboration: questions and hand-back (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent: User;
  let adminA: User;
  let agentSession: LoggedIn;
  let agentBSession: LoggedIn;
  let adminASession: LoggedIn;
  let adminBSession: LoggedIn;

  const server = () => desk.getHttpServer();
  const db = () => testEnv.dataSource.manager;

  const submit = async (tenant: TestTenant): Promise<{ reference: string; statusPath: string }> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const body = response.body as { reference: string; statusUrl: string };
    return { reference: body.reference, statusPath: new URL(body.statusUrl).pathname };
  };

  const get = (path: string, session: LoggedIn) =>
    request(server()).get(path).set('Cookie', session.cookie).set('Accept', 'text/html');

  const post = (path: string, session: LoggedIn, fields: Record<string, string> = {}) =>
    request(server())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .set('X-Forwarded-For', MERCHANT_IP)
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const ticketOf = (reference: string) => db().findOneByOrFail(Ticket, { reference });
  const version = async (reference: string) => String((await ticketOf(reference)).version);

  const messagesOf = async (reference: string) =>
    db().find(Message, {
      where: { ticketId: (await ticketOf(reference)).id },
      order: { id: 'ASC' },
    });

  const auditOf = (action: string, reference: string) =>
    db().find(AuditEvent, { where: { action, targetId: reference }, order: { id: 'ASC' } });

  async function mails(): Promise<OutgoingMail[]> {
    const outbox = desk.get(OutboxService);
    const jobs = await testEnv.dataSource.getRepository(OutboxJob).find({ order: { id: 'ASC' } });
    return jobs.map((job) => outbox.readMail(job));
  }

  const mailsAbout = async (reference: string, to?: string) =>
    (await mails()).filter(
      (mail) => `${mail.subject}\n${mail.text}`.includes(reference) && (!to || mail.to === to),
    );

  const notifyA = () => tenantA.merchant.notificationEmails[0];

  /** A database dump without the audited views (ticket.viewed) a re-rendered page records. */
  function withoutViews(dump: string): string {
    const tables = JSON.parse(dump) as Record<string, Record<string, unknown>[]>;
    tables.audit_events = tables.audit_events.filter((row) => row.action !== 'ticket.viewed');
    return JSON.stringify(tables);
  }

  function expectNoPersonalData(mail: OutgoingMail): void {
    for (const value of PERSONAL) expect(`${mail.subject}\n${mail.text}`).not.toContain(value);
  }

  /** Posts a question and checks the status; resolves to the response. */
  const ask = async (reference: string, body: string, status: number, session = agentSession) => {
    const fields = { body, version: await version(reference) };
    return post(`/tickets/${reference}/merchant-questions`, session, fields).expect(status);
  };

  const handBack = async (reference: string) =>
    post(`/tickets/${reference}/hand-back`, agentSession, {
      confirm: 'yes',
      version: await version(reference),
    }).expect(303);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv, { TRUST_PROXY: 'true' });
    intake = await startIntakeApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '佐藤 一郎',
    });
    const agentB = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantB.queue.id],
    });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
      displayName: 'さくら 管理者',
    });
    const adminB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantB.merchant.id,
    });
    agentSession = await loginAs(desk, agent.email);
    agentBSession = await loginAs(desk, agentB.email);
    adminASession = await loginAs(desk, adminA.email);
    adminBSession = await loginAs(desk, adminB.email);
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  describe('a question to the merchant', () => {
    it('should offer the question form with the privacy rule on the ticket page', async () => {
      const { reference } = await submit(tenantA);
      const page = await get(`/tickets/${reference}`, agentSession).expect(200);

      expect(page.text).toContain(`/tickets/${reference}/merchant-questions`);
      expect(page.text).toContain(PRIVACY_RULE);
    });

    it('should refuse a question naming the requester (400) and write nothing', async () => {
      const { reference } = await submit(tenantA);
      const before = await dumpDatabase(testEnv);

      for (const body of [
        `${VALID_INQUIRY.email} 様のご注文について`,
        `電話 ${VALID_INQUIRY.phone.replace(/-/g, '')} の方です`,
        `${VALID_INQUIRY.name.replace(' ', '')}様の件`,
        '   ',
      ]) {
        const response = await ask(reference, body, 400);
        expect(response.text).toContain('field__error');
      }

      // The page comes back with the draft: re-reading it is an audited view, nothing else.
      expect(withoutViews(await dumpDatabase(testEnv)) === withoutViews(before)).toBe(true);
      expect(await auditOf(AUDIT_ACTIONS.ticketMerchantQuestionAsked, reference)).toHaveLength(0);
    });

    it('should store the question as its kind, quote it in the merchant mail without personal data, show it in the portal and never to the shopper', async () => {
      const { reference, statusPath } = await submit(tenantA);

      await ask(reference, QUESTION, 303);

      const ticket = await ticketOf(reference);
      expect(ticket.status).toBe('pending_merchant');
      const stored = await messagesOf(reference);
      expect(stored.map((m) => m.kind)).toEqual(['customer', 'merchant_query']);
      // Encrypted at rest like every message body.
      expect(stored[1].body).not.toContain('発送状況');
      const [asked] = await auditOf(AUDIT_ACTIONS.ticketMerchantQuestionAsked, reference);
      expect(asked).toMatchObject({ actorId: agent.id, merchantId: tenantA.merchant.id });
      expect(JSON.parse(asked.detail ?? '{}')).toMatchObject({
        from: 'new',
        to: 'pending_merchant',
        merchantNotices: 1,
      });

      // One mail to the notification address, quoting the question, no personal data; the
      // plain pending_merchant notice does not add a second one.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const merchantMails = await mailsAbout(reference, notifyA());
      expect(merchantMails).toHaveLength(1);
      expect(merchantMails[0].text).toContain(`> ${QUESTION}`);
      expect(merchantMails[0].text).toContain(`/portal/cases/${reference}`);
      expectNoPersonalData(merchantMails[0]);

      // The agent's thread shows it in its own style.
      const agentPage = await get(`/tickets/${reference}`, agentSession).expect(200);
      expect(agentPage.text).toContain('msg--merchant_query');
      expect(agentPage.text).toContain(QUESTION);

      // The portal: the question above the answer form, and no "read-only" claim.
      const portal = await get(`/portal/cases/${reference}`, adminASession).expect(200);
      expect(portal.text).toContain(QUESTION);
      expect(portal.text).toContain('data-question-id=');
      expect(portal.text).toContain(`/portal/cases/${reference}/answer`);
      expect(portal.text).toContain('このページで回答できます');
      expect(portal.text).not.toContain('閲覧専用');

      // A further question while it waits: still pending, both open questions shown.
      await ask(reference, SECOND_QUESTION, 303);
      expect((await ticketOf(reference)).status).toBe('pending_merchant');
      const again = await get(`/portal/cases/${reference}`, adminASession).expect(200);
      expect(again.text.match(/data-question-id=/g)).toHaveLength(2);

      // The merchant answers in the portal: its own kind, back to the queue, audited.
      await post(`/portal/cases/${reference}/answer`, adminASession, {
        body: ANSWER,
        version: await version(reference),
      }).expect(303);
      expect((await ticketOf(reference)).status).toBe('open');
      expect((await messagesOf(reference)).map((m) => m.kind)).toEqual([
        'customer',
        'merchant_query',
        'merchant_query',
        'merchant_answer',
      ]);
      expect(
        await auditOf(AUDIT_ACTIONS.ticketMerchantAnswered, reference).then((rows) =>
          rows.map((row) => row.actorId),
        ),
      ).toEqual([adminA.id]);
      const answered = await get(`/tickets/${reference}`, agentSession).expect(200);
      expect(answered.text).toContain('msg--merchant_answer');
      expect(answered.text).toContain(ANSWER);
      const readOnly = await get(`/portal/cases/${reference}`, adminASession).expect(200);
      expect(readOnly.text).toContain('この案件は閲覧のみです');
      expect(readOnly.text).not.toContain(`/portal/cases/${reference}/answer"`);

      // Never to the shopper: not on the status page, in no mail to the requester.
      const status = await request(intake.getHttpServer()).get(statusPath).expect(200);
      for (const text of [QUESTION, SECOND_QUESTION, ANSWER]) {
        expect(status.text).not.toContain(text);
        for (const mail of await mailsAbout(reference, VALID_INQUIRY.email)) {
          expect(mail.text).not.toContain(text);
        }
      }
    });

    it("should answer a question on another merchant's case with 404 and write nothing", async () => {
      const { reference } = await submit(tenantA);
      const before = await dumpDatabase(testEnv);

      await ask(reference, QUESTION, 404, agentBSession);
      await get(`/portal/cases/${reference}`, adminBSession).expect(404);

      expect(await dumpDatabase(testEnv)).toBe(before);
    });

    it('should refuse merchant users the question route (403) and write nothing', async () => {
      const { reference } = await submit(tenantA);
      const before = await dumpDatabase(testEnv);

      await ask(reference, QUESTION, 403, adminASession);

      expect(await dumpDatabase(testEnv)).toBe(before);
    });
  });

  describe('hand-back', () => {
    let reference = '';

    beforeAll(async () => {
      reference = (await submit(tenantA)).reference;
      await handBack(reference);
    });

    it("should tell the shopper the form's promise word for word, and the merchant where to answer", async () => {
      const form = await request(intake.getHttpServer()).get(`/s/${tenantA.site.slug}`).expect(200);
      const promise = handBackPromise(tenantA.merchant.name);
      expect(form.text).toContain(promise);

      const [toShopper] = await mailsAbout(reference, VALID_INQUIRY.email).then((list) =>
        list.filter((mail) => mail.text.includes('お引き継ぎ')),
      );
      expect(toShopper.text).toContain(promise);
      expect(toShopper.text).not.toContain('改めてご連絡ください');

      const [toMerchant] = await mailsAbout(reference, notifyA());
      expect(toMerchant.text).toContain(`/portal/cases/${reference}`);
      expectNoPersonalData(toMerchant);
      const ticket = await ticketOf(reference);
      expect(ticket.status).toBe('handed_back');
      expect(ticket.handedBackAt).toBeInstanceOf(Date);
    });

    it('should list the open hand-back with a count on the portal home and not show contact data before the audited view', async () => {
      const home = await get('/portal/cases', adminASession).expect(200);
      expect(home.text).toContain('未回答の引き継ぎ案件: 1件');
      const list = await get('/portal/handbacks', adminASession).expect(200);
      expect(list.text).toContain(`data-reference="${reference}"`);
      const otherList = await get('/portal/handbacks', adminBSession).expect(200);
      expect(otherList.text).not.toContain(reference);

      const page = await get(`/portal/cases/${reference}`, adminASession).expect(200);
      expect(page.text).toContain('連絡先とお問い合わせ内容を表示');
      expect(page.text).toContain('貴社へお引き継ぎしました');
      expect(page.text).not.toContain(VALID_INQUIRY.email);
      expect(page.text).not.toContain(VALID_INQUIRY.phone);
    });

    it("should show the shopper's contact and message as an audited view", async () => {
      const before = await auditOf(AUDIT_ACTIONS.handBackContactViewed, reference);
      expect(before).toHaveLength(0);

      const shown = await post(`/portal/cases/${reference}/contact`, adminASession).expect(200);

      expect(shown.text).toContain(VALID_INQUIRY.email);
      expect(shown.text).toContain(VALID_INQUIRY.phone);
      expect(shown.text).toContain(VALID_INQUIRY.message);
      const rows = await auditOf(AUDIT_ACTIONS.handBackContactViewed, reference);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actorType: 'user',
        actorId: adminA.id,
        merchantId: tenantA.merchant.id,
        ip: MERCHANT_IP,
      });
    });

    it("should answer another merchant's hand-back routes with 404 and write nothing", async () => {
      const before = await dumpDatabase(testEnv);

      await post(`/portal/cases/${reference}/contact`, adminBSession).expect(404);
      await post(`/portal/cases/${reference}/hand-back-answered`, adminBSession, {
        version: await version(reference),
      }).expect(404);

      expect(await dumpDatabase(testEnv)).toBe(before);
    });

    it('should refuse the contact view of a case that was not handed back (409) and audit nothing', async () => {
      const { reference: open } = await submit(tenantA);

      await post(`/portal/cases/${open}/contact`, adminASession).expect(409);

      expect(await auditOf(AUDIT_ACTIONS.handBackContactViewed, open)).toHaveLength(0);
    });

    it('should let the merchant mark it answered, audited, once', async () => {
      await post(`/portal/cases/${reference}/hand-back-answered`, adminASession, {
        version: await version(reference),
      }).expect(303);

      const ticket = await ticketOf(reference);
      expect(ticket.status).toBe('handed_back');
      expect(ticket.handBackAnsweredAt).toBeInstanceOf(Date);
      expect(ticket.handBackAnsweredByUserId).toBe(adminA.id);
      const rows = await auditOf(AUDIT_ACTIONS.handBackAnswered, reference);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorId: adminA.id, ip: MERCHANT_IP });

      const list = await get('/portal/handbacks', adminASession).expect(200);
      expect(list.text).not.toContain(`data-reference="${reference}"`);
      const answered = await get('/portal/handbacks?state=answered', adminASession).expect(200);
      expect(answered.text).toContain(`data-reference="${reference}"`);
      const agentPage = await get(`/tickets/${reference}`, agentSession).expect(200);
      expect(agentPage.text).toContain('data-hand-back-answered="yes"');

      await post(`/portal/cases/${reference}/hand-back-answered`, adminASession, {
        version: await version(reference),
      }).expect(409);
      expect(await auditOf(AUDIT_ACTIONS.handBackAnswered, reference)).toHaveLength(1);
    });
  });

  describe('the hand-back reminder', () => {
    const settings = (fields: Record<string, string>) =>
      post('/portal/settings', adminASession, {
        notificationEmails: tenantA.merchant.notificationEmails.join('\n'),
        allowedIpRanges: '',
        ...fields,
      });

    it('should validate the merchant setting and store nothing on a bad value', async () => {
      for (const bad of ['0', '21', 'abc', '1.5', '']) {
        const response = await settings({ handBackReminderDays: bad }).expect(400);
        expect(response.text).toContain('field__error');
      }
      const merchant = await db().findOneByOrFail(Merchant, { id: tenantA.merchant.id });
      expect(merchant.handBackReminderDays).toBe(3);

      await settings({ handBackReminderDays: '2' }).expect(303);
      expect(
        (await db().findOneByOrFail(Merchant, { id: tenantA.merchant.id })).handBackReminderDays,
      ).toBe(2);
      // A form without the field keeps the value.
      await settings({}).expect(303);
      expect(
        (await db().findOneByOrFail(Merchant, { id: tenantA.merchant.id })).handBackReminderDays,
      ).toBe(2);
    });

    it('should remind once, after the business days of the setting, without personal data, and never an answered case', async () => {
      const { reference } = await submit(tenantA);
      await handBack(reference);
      const { reference: answered } = await submit(tenantA);
      await handBack(answered);
      await post(`/portal/cases/${answered}/hand-back-answered`, adminASession, {
        version: await version(answered),
      }).expect(303);
      // Handed back on Friday 2031-06-06 15:00 Tokyo; 2 business days: Mon 9, Tue 10 → Tue 10:00.
      for (const ref of [reference, answered]) {
        await db().update(
          Ticket,
          { reference: ref },
          { handedBackAt: new Date('2031-06-06T06:00:00Z') },
        );
      }
      // The desk's scheduled jobs, driven with a test time (the runner takes its `now`).
      const jobs = desk.get(DeskJobsRunner);
      const reminders = async () =>
        (await mailsAbout(reference, notifyA())).filter((mail) => mail.subject.includes('未回答'));

      await jobs.runOnce(new Date('2031-06-10T00:59:00Z'));
      expect(await reminders()).toHaveLength(0);
      expect(await auditOf(AUDIT_ACTIONS.handBackReminderSent, reference)).toHaveLength(0);

      await jobs.runOnce(new Date('2031-06-10T01:00:00Z'));
      await jobs.runOnce(new Date('2031-06-20T01:00:00Z'));

      const sent = await reminders();
      expect(sent).toHaveLength(1);
      expectNoPersonalData(sent[0]);
      expect(sent[0].text).toContain('2 営業日');
      const rows = await auditOf(AUDIT_ACTIONS.handBackReminderSent, reference);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorType: 'system', merchantId: tenantA.merchant.id });
      expect((await ticketOf(reference)).handBackRemindedAt).toBeInstanceOf(Date);
      expect(await auditOf(AUDIT_ACTIONS.handBackReminderSent, answered)).toHaveLength(0);
    });
  });
});
