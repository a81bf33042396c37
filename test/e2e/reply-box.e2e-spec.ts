import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Not } from 'typeorm';
import { AuditEvent, AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { FieldCipher } from '@madoguchi/crypto';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
import {
  Message,
  PhoneTicketService,
  Ticket,
  TicketScopeService,
  UserSignature,
} from '@madoguchi/tickets';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { SIGNATURE_TEXTS } from '../../apps/desk/src/account/signature/signature.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** The escape-by-default template writes these characters as entities. */
const escaped = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Issue 15, the reply box and tickets without email: a reply that nothing could deliver is
 * refused with the reason and changes nothing; the phone is recorded as a call note instead; the
 * first response is only what reached the shopper (the hand-back of a phone-only ticket stores no
 * reply); replies carry the signature the agent set on their account page; every stored text has
 * LF line endings.
 */
describe(`reply box and tickets without email (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let agent: User;
  let session: LoggedIn;
  let viewerSession: LoggedIn;

  const tickets = () => testEnv.dataSource.getRepository(Ticket);
  const ticketOf = (reference: string) => tickets().findOneByOrFail({ reference });
  const decrypt = (value: string | null) => desk.get(FieldCipher).decryptNullable(value);

  async function emailTicket(): Promise<string> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    return (response.body as { reference: string }).reference;
  }

  /** A phone ticket whose caller gave no email, and nobody has spoken to yet (a voicemail). */
  async function phoneOnlyTicket(): Promise<string> {
    const call = await insertTestCall(testEnv.dataSource, { merchantId: tenant.merchant.id });
    const scope = await desk.get(TicketScopeService).forUser(agent);
    const ticket = await testEnv.dataSource.transaction((manager) =>
      desk.get(PhoneTicketService).createFromCall(
        manager,
        scope,
        {
          merchantId: tenant.merchant.id,
          siteId: null,
          category: 'other',
          requesterName: '電話 花子',
          requesterPhone: null,
          answered: false,
          callMessage: '留守番電話: 折り返しを希望',
          callId: call.id,
        },
        { userId: agent.id, ip: '127.0.0.1' },
        new Date(),
      ),
    );
    return ticket.reference;
  }

  const api = (method: 'post' | 'get', path: string, as: LoggedIn = session) => {
    const server = request(desk.getHttpServer());
    const started = method === 'post' ? server.post(path) : server.get(path);
    return started.set('cookie', as.cookie).set('x-csrf-token', as.csrfToken);
  };

  const form = (path: string, fields: Record<string, string>, as: LoggedIn = session) =>
    request(desk.getHttpServer())
      .post(path)
      .set('cookie', as.cookie)
      .type('form')
      .send({ _csrf: as.csrfToken, ...fields });

  /** Everything a reply could have changed about the ticket. */
  async function stateOf(reference: string) {
    const ticket = await ticketOf(reference);
    const ds = testEnv.dataSource;
    return {
      ticket: {
        version: ticket.version,
        status: ticket.status,
        firstRespondedAt: ticket.firstRespondedAt,
      },
      messages: await ds.getRepository(Message).countBy({ ticketId: ticket.id }),
      mails: await ds.getRepository(OutboxJob).countBy({ ticketId: ticket.id }),
      // Writes only: showing the page again (the 409) is a view of the ticket, audited as such.
      audit: await ds
        .getRepository(AuditEvent)
        .countBy({ targetId: reference, action: Not(AUDIT_ACTIONS.ticketViewed) }),
    };
  }

  const messagesOf = async (reference: string) => {
    const ticket = await ticketOf(reference);
    const rows = await testEnv.dataSource
      .getRepository(Message)
      .find({ where: { ticketId: ticket.id }, order: { id: 'ASC' } });
    return rows.map((row) => ({ kind: row.kind, body: decrypt(row.body) }));
  };

  const mailsOf = async (reference: string) => {
    const ticket = await ticketOf(reference);
    const jobs = await testEnv.dataSource
      .getRepository(OutboxJob)
      .find({ where: { ticketId: ticket.id }, order: { id: 'ASC' } });
    return jobs.map((job) => desk.get(OutboxService).readMail(job));
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '山田 花子',
    });
    const viewer = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenant.merchant.id,
    });
    session = await loginAs(desk, agent.email);
    viewerSession = await loginAs(desk, viewer.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('a ticket without an email address', () => {
    it('should refuse a reply through the API with REPLY_UNDELIVERABLE and change nothing', async () => {
      const reference = await phoneOnlyTicket();
      const before = await stateOf(reference);
      const refused = await api('post', `/api/v1/tickets/${reference}/replies`)
        .send({ body: '確認いたしました。', version: before.ticket.version })
        .expect(409);
      expect(refused.body).toMatchObject({ code: 'REPLY_UNDELIVERABLE' });
      expect(await stateOf(reference)).toEqual(before);
    });

    it('should say why on the page, offer the call note, and refuse a posted reply', async () => {
      const reference = await phoneOnlyTicket();
      const page = await api('get', `/tickets/${reference}`).expect(200);
      expect(page.text).toContain(escaped(TICKET_TEXTS.undeliverable.reason));
      expect(page.text).toContain(TICKET_TEXTS.undeliverable.submit);
      expect(page.text).toContain(`action="/tickets/${reference}/call-notes"`);
      expect(page.text).not.toContain(`action="/tickets/${reference}/replies"`);

      // A reply posted anyway (an old page, a hand-made request): 409, the text kept, nothing stored.
      const before = await stateOf(reference);
      const posted = await form(`/tickets/${reference}/replies`, {
        version: String(before.ticket.version),
        body: '電話できませんでした。',
      }).expect(409);
      expect(posted.text).toContain('電話できませんでした。');
      expect(posted.text).toContain('メールアドレスがないため');
      expect(await stateOf(reference)).toEqual(before);
    });

    it('should record what was said on the phone as a call note, not as a first response', async () => {
      const reference = await phoneOnlyTicket();
      const { version } = await ticketOf(reference);
      const done = await form(`/tickets/${reference}/call-notes`, {
        version: String(version),
        body: '折り返し電話で、確認結果をお伝えしました。\r\nご納得いただけました。',
      }).expect(303);
      expect(done.headers.location).toBe(`/tickets/${reference}?done=callNoted`);
      expect((await messagesOf(reference)).at(-1)).toEqual({
        kind: 'call',
        body: '折り返し電話で、確認結果をお伝えしました。\nご納得いただけました。',
      });
      const ticket = await ticketOf(reference);
      expect(ticket.firstRespondedAt).toBeNull();
      expect(await mailsOf(reference)).toEqual([]);
      const audit = await testEnv.dataSource.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.ticketCallNoted,
        targetId: reference,
      });
      expect(audit).toMatchObject({ actorId: agent.id, merchantId: tenant.merchant.id });
      // The API does the same; an empty one is a 400 with nothing written.
      await api('post', `/api/v1/tickets/${reference}/call-notes`)
        .send({ body: '二度目の連絡', version: ticket.version })
        .expect(201);
      const before = await stateOf(reference);
      await api('post', `/api/v1/tickets/${reference}/call-notes`)
        .send({ body: '  ', version: (await ticketOf(reference)).version })
        .expect(400);
      expect(await stateOf(reference)).toEqual(before);
      expect((await ticketOf(reference)).firstRespondedAt).toBeNull();
    });

    it('should hand back without storing a reply nobody receives or setting the first response', async () => {
      const reference = await phoneOnlyTicket();
      const before = await messagesOf(reference);
      const confirm = await form(`/tickets/${reference}/hand-back`, {
        version: String((await ticketOf(reference)).version),
      }).expect(200);
      expect(confirm.text).toContain('お客様へは何も送りません');
      await api('post', `/api/v1/tickets/${reference}/hand-back`)
        .send({ version: (await ticketOf(reference)).version })
        .expect(200);
      const ticket = await ticketOf(reference);
      expect(ticket.status).toBe('handed_back');
      expect(ticket.firstRespondedAt).toBeNull();
      expect(await messagesOf(reference)).toEqual(before);
      // Only the merchant's notices went out; none to a shopper.
      expect((await mailsOf(reference)).every((mail) => !mail.to.includes('example.jp'))).toBe(
        true,
      );
    });
  });

  describe('the first response', () => {
    it('should be the reply mailed to the shopper, and the hand-back reply of a ticket with email', async () => {
      const replied = await emailTicket();
      expect((await ticketOf(replied)).firstRespondedAt).toBeNull();
      await api('post', `/api/v1/tickets/${replied}/replies`)
        .send({ body: 'ご連絡ありがとうございます。', version: (await ticketOf(replied)).version })
        .expect(201);
      expect((await ticketOf(replied)).firstRespondedAt).not.toBeNull();

      const noted = await emailTicket();
      await api('post', `/api/v1/tickets/${noted}/call-notes`)
        .send({ body: 'お電話でお伝えしました。', version: (await ticketOf(noted)).version })
        .expect(201);
      expect((await ticketOf(noted)).firstRespondedAt).toBeNull();

      const handedBack = await emailTicket();
      await api('post', `/api/v1/tickets/${handedBack}/hand-back`)
        .send({ version: (await ticketOf(handedBack)).version })
        .expect(200);
      expect((await ticketOf(handedBack)).firstRespondedAt).not.toBeNull();
      expect((await messagesOf(handedBack)).map((m) => m.kind)).toContain('reply');
    });
  });

  describe('line endings', () => {
    it('should store replies and notes with LF only, and mail them so', async () => {
      const reference = await emailTicket();
      await api('post', `/api/v1/tickets/${reference}/replies`)
        .send({ body: '一行目\r\n二行目\r三行目', version: (await ticketOf(reference)).version })
        .expect(201);
      const { version } = await ticketOf(reference);
      await form(`/tickets/${reference}/notes`, {
        version: String(version),
        body: 'メモ一行目\r\nメモ二行目',
      }).expect(303);
      const messages = await messagesOf(reference);
      expect(messages.filter((m) => m.kind !== 'customer')).toEqual([
        { kind: 'reply', body: '一行目\n二行目\n三行目' },
        { kind: 'note', body: 'メモ一行目\nメモ二行目' },
      ]);
      const mail = (await mailsOf(reference)).at(-1);
      expect(mail?.text).toContain('一行目\n二行目\n三行目');
      expect(mail?.text).not.toContain('\r');
    });
  });

  describe('the signature', () => {
    afterEach(async () => {
      await testEnv.dataSource.getRepository(UserSignature).delete({ userId: agent.id });
    });

    it('should append the signature set on the account page to replies (stored and mailed)', async () => {
      const page = await api('get', '/account/signature').expect(200);
      expect(page.text).toContain(SIGNATURE_TEXTS.none);
      await form('/account/signature', {
        signatureName: '窓口担当 山田',
        signatureText: 'デモ窓口\r\n平日10:00〜18:00',
      })
        .expect(303)
        .expect('location', '/account/signature?done=saved');
      const saved = await api('get', '/account/signature').expect(200);
      expect(saved.text).toContain('窓口担当 山田');
      expect(
        await testEnv.dataSource.getRepository(AuditEvent).countBy({
          action: AUDIT_ACTIONS.userSignatureChanged,
          actorId: agent.id,
        }),
      ).toBe(1);

      const reference = await emailTicket();
      const ticketPage = await api('get', `/tickets/${reference}`).expect(200);
      expect(ticketPage.text).toContain('窓口担当 山田');
      await api('post', `/api/v1/tickets/${reference}/replies`)
        .send({ body: '確認いたしました。', version: (await ticketOf(reference)).version })
        .expect(201);
      const expected =
        '確認いたしました。\n\n――――――――――\n窓口担当 山田\nデモ窓口\n平日10:00〜18:00';
      expect((await messagesOf(reference)).at(-1)).toEqual({ kind: 'reply', body: expected });
      expect((await mailsOf(reference)).at(-1)?.text).toContain(expected);

      // Emptied: no signature any more.
      await form('/account/signature', { signatureName: '', signatureText: '' })
        .expect(303)
        .expect('location', '/account/signature?done=removed');
      await api('post', `/api/v1/tickets/${reference}/replies`)
        .send({ body: '追伸です。', version: (await ticketOf(reference)).version })
        .expect(201);
      expect((await messagesOf(reference)).at(-1)).toEqual({ kind: 'reply', body: '追伸です。' });
    });

    it('should refuse lines without a name and keep what was typed', async () => {
      const refused = await form('/account/signature', {
        signatureName: '',
        signatureText: '部署名だけ',
      }).expect(400);
      expect(refused.text).toContain('部署名だけ');
      expect(refused.text).toContain('署名に表示する名前を入力してください。');
      expect(
        await testEnv.dataSource.getRepository(UserSignature).countBy({ userId: agent.id }),
      ).toBe(0);
    });

    it('should not let merchant users set one', async () => {
      await request(desk.getHttpServer())
        .get('/account/signature')
        .set('cookie', viewerSession.cookie)
        .expect(403);
      await form(
        '/account/signature',
        { signatureName: '加盟店', signatureText: '' },
        viewerSession,
      ).expect(403);
      expect(await testEnv.dataSource.getRepository(UserSignature).count()).toBe(0);
    });
  });
});
