import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { insertTestCall } from '../support/test-call';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { createTestTicket, startTicketServices } from '../support/ticket-desk-test';
import { withoutWordBreaks } from '../support/word-breaks';

const TWILIO_ENV = {
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_API_KEY_SID: 'SK00000000000000000000000000000002',
  TWILIO_API_KEY_SECRET: 'test-api-key-secret-not-real',
  TWILIO_TWIML_APP_SID: 'AP00000000000000000000000000000003',
};
const CALLER = '090-1234-5678';

describe(`desk calls: waiting list, wrap-up, callbacks (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let services: TestingModule;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agentA: User;
  let agentASession: LoggedIn;
  let agentBSession: LoggedIn;
  let adminSession: LoggedIn;
  let viewerASession: LoggedIn;
  let sequence = 0;

  const http = () => request(desk.getHttpServer());
  const get = (path: string, session: LoggedIn) => http().get(path).set('cookie', session.cookie);
  const post = (path: string, session: LoggedIn) =>
    http().post(path).set('cookie', session.cookie).set('x-csrf-token', session.csrfToken);

  function insertCall(fields: Partial<Call>): Promise<Call> {
    sequence += 1;
    return insertTestCall(testEnv.dataSource, {
      callSid: `CA${String(sequence).padStart(32, '0')}`,
      fromNumber: services.get(FieldCipher).encrypt('+819012345678'),
      fromIndex: services.get(BlindIndex).phone(CALLER),
      callerIdWithheld: false,
      ...fields,
    });
  }

  const callRow = (id: number) => testEnv.dataSource.getRepository(Call).findOneByOrFail({ id });

  beforeAll(async () => {
    testEnv = await createTestEnvironment(TWILIO_ENV);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'A商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'B商店' });
    services = await startTicketServices(testEnv);
    desk = await startDeskApp(testEnv);
    agentA = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
    });
    const agentB = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantB.queue.id],
    });
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    agentASession = await loginAs(desk, agentA.email);
    agentBSession = await loginAs(desk, agentB.email);
    adminSession = await loginAs(desk, admin.email);
    viewerASession = await loginAs(desk, viewerA.email);
  });

  afterAll(async () => {
    await desk?.close();
    await services?.close();
    await testEnv?.cleanup();
  });

  describe('voice token', () => {
    it("should issue a Voice token with the agent's identity and the TwiML App as outgoing application", async () => {
      const response = await post('/api/v1/calls/voice-token', agentASession).expect(201);
      const body = response.body as { token: string; identity: string; expiresInSeconds: number };
      expect(body.identity).toBe(`agent-${agentA.id}`);
      expect(body.expiresInSeconds).toBe(3600);
      const [header, payload, signature] = body.token.split('.');
      // Signed with the API key's secret (HS256), as Twilio checks it.
      const expected = createHmac('sha256', TWILIO_ENV.TWILIO_API_KEY_SECRET)
        .update(`${header}.${payload}`)
        .digest('base64url');
      expect(signature).toBe(expected);
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        iss: string;
        sub: string;
        exp: number;
        iat: number;
        grants: {
          identity: string;
          voice: { outgoing: { application_sid: string }; incoming?: { allow: boolean } };
        };
      };
      expect(decoded.exp - decoded.iat).toBe(3600);
      expect(decoded.iss).toBe(TWILIO_ENV.TWILIO_API_KEY_SID);
      expect(decoded.sub).toBe(TWILIO_ENV.TWILIO_ACCOUNT_SID);
      expect(decoded.grants.identity).toBe(`agent-${agentA.id}`);
      expect(decoded.grants.voice.outgoing.application_sid).toBe(TWILIO_ENV.TWILIO_TWIML_APP_SID);
      expect(decoded.grants.voice.incoming?.allow ?? false).toBe(false);
      expect(JSON.stringify(response.body)).not.toContain(TWILIO_ENV.TWILIO_API_KEY_SECRET);
    });

    it('should refuse a merchant user a Voice token (403)', async () => {
      await post('/api/v1/calls/voice-token', viewerASession).expect(403);
    });

    it('should refuse a Voice token without the CSRF header', async () => {
      await http()
        .post('/api/v1/calls/voice-token')
        .set('cookie', agentASession.cookie)
        .expect(403);
    });
  });

  describe('waiting list', () => {
    it('should list waiting calls in queue order with the caller’s open tickets of the agent’s merchants only', async () => {
      const { ticket: ticketA } = await createTestTicket(services, tenantA, { phone: CALLER });
      const { ticket: ticketB } = await createTestTicket(services, tenantB, { phone: CALLER });
      const base = Date.now() - 120_000;
      const second = await insertCall({ status: 'enqueued', enqueuedAt: new Date(base + 60_000) });
      const first = await insertCall({
        status: 'enqueued',
        enqueuedAt: new Date(base),
        merchantId: tenantA.merchant.id,
        siteId: tenantA.site.id,
      });
      const otherMerchant = await insertCall({
        status: 'enqueued',
        enqueuedAt: new Date(base + 30_000),
        merchantId: tenantB.merchant.id,
      });
      await insertCall({
        status: 'in-progress',
        enqueuedAt: new Date(base),
        answeredAt: new Date(),
      });

      const response = await get('/api/v1/calls/waiting', agentASession).expect(200);
      const waiting = response.body as {
        id: number;
        position: number;
        waitSeconds: number;
        siteName: string | null;
        openTickets: { reference: string }[];
      }[];
      expect(waiting.map((call) => [call.id, call.position])).toEqual([
        [first.id, 1],
        [second.id, 3],
      ]);
      expect(waiting[0].siteName).toBe(tenantA.site.displayName);
      expect(waiting[0].waitSeconds).toBeGreaterThanOrEqual(100);
      for (const call of waiting) {
        expect(call.openTickets.map((t) => t.reference)).toEqual([ticketA.reference]);
      }
      expect(JSON.stringify(response.body)).not.toContain(ticketB.reference);
      expect(JSON.stringify(response.body)).not.toContain('9012345678');

      const admin = await get('/api/v1/calls/waiting', adminSession).expect(200);
      expect((admin.body as { id: number }[]).map((call) => call.id)).toEqual([
        first.id,
        otherMerchant.id,
        second.id,
      ]);
      await get('/api/v1/calls/waiting', viewerASession).expect(403);

      const page = await get('/calls', agentASession).expect(200);
      expect(withoutWordBreaks(page.text)).toContain('次の通話を取る');
      expect(withoutWordBreaks(page.text)).toContain(ticketA.reference);
      expect(withoutWordBreaks(page.text)).toContain('未特定');
      expect(withoutWordBreaks(page.text)).toContain('/assets/console-voice.js');
      const fragment = await get('/calls?fragment=waiting', agentASession).expect(200);
      expect(fragment.headers['x-console-fragment']).toBe('rows');
      await testEnv.dataSource
        .getRepository(Call)
        .update({ status: 'enqueued' }, { status: 'completed', endedAt: new Date() });
    });
  });

  describe('wrap-up', () => {
    it('should create a phone ticket from a call with a call message and tie the call to it', async () => {
      const call = await insertCall({
        outcome: 'answered',
        answeredAt: new Date(),
        waitSeconds: 20,
        talkSeconds: 95,
        agentId: agentA.id,
      });
      const response = await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession)
        .send({
          mode: 'create',
          summary: '流出対象か確認したいとのこと。',
          merchantId: tenantA.merchant.id,
          category: 'leak_check',
          requesterName: '佐藤 花子',
        })
        .expect(201);
      const result = response.body as { reference: string; created: boolean };
      expect(result.created).toBe(true);
      const ticket = await testEnv.dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ reference: result.reference });
      expect(ticket).toMatchObject({
        channel: 'phone',
        status: 'open',
        merchantId: tenantA.merchant.id,
        queueId: tenantA.queue.id,
        statusTokenHash: null,
        requesterEmail: null,
      });
      expect(ticket.requesterPhoneIndex).toBe(services.get(BlindIndex).phone(CALLER));
      expect(ticket.firstRespondedAt).not.toBeNull();
      const messages = await testEnv.dataSource
        .getRepository(Message)
        .findBy({ ticketId: ticket.id });
      expect(messages.map((m) => m.kind)).toEqual(['call']);
      const body = services.get(FieldCipher).decrypt(messages[0].body as string);
      expect(body).toContain('流出対象か確認したいとのこと。');
      expect(body).toContain('1分35秒');
      expect(messages[0].body).not.toContain('流出');
      const updated = await callRow(call.id);
      expect(updated.ticketId).toBe(ticket.id);
      expect(updated.merchantId).toBe(tenantA.merchant.id);
      const audit = await testEnv.dataSource
        .getRepository(AuditEvent)
        .findBy({ targetId: String(call.id), action: 'call.linked' });
      expect(audit).toHaveLength(1);
      const created = await testEnv.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ targetId: ticket.reference, action: 'ticket.created' });
      expect(JSON.parse(String(created.detail))).toMatchObject({
        channel: 'phone',
        callId: call.id,
      });
      // A second "create" for the same call would make a duplicate ticket: refused.
      await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession)
        .send({
          mode: 'create',
          summary: 'もう一度',
          merchantId: tenantA.merchant.id,
          category: 'other',
        })
        .expect(409);
    });

    it('should let an agent link a call to an existing ticket, and relink it with the previous one audited', async () => {
      const { ticket } = await createTestTicket(services, tenantA);
      const { ticket: other } = await createTestTicket(services, tenantA);
      const call = await insertCall({
        outcome: 'answered',
        answeredAt: new Date(),
        merchantId: tenantA.merchant.id,
      });
      await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession)
        .send({
          mode: 'link',
          summary: '返信内容を電話で補足。',
          merchantId: tenantA.merchant.id,
          category: 'other',
          reference: ticket.reference,
        })
        .expect(201);
      expect((await callRow(call.id)).ticketId).toBe(ticket.id);
      const kinds = (
        await testEnv.dataSource.getRepository(Message).findBy({ ticketId: ticket.id })
      ).map((m) => m.kind);
      expect(kinds).toEqual(['customer', 'call']);
      const after = await testEnv.dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: ticket.id });
      expect(after.version).toBe(ticket.version + 1);

      const relink = await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession)
        .send({
          mode: 'link',
          summary: '別件でした。',
          merchantId: tenantA.merchant.id,
          category: 'other',
          reference: other.reference,
        })
        .expect(201);
      expect((relink.body as { previousReference: string }).previousReference).toBe(
        ticket.reference,
      );
      expect((await callRow(call.id)).ticketId).toBe(other.id);
    });

    it('should refuse invalid wrap-ups with 400/404 and change nothing', async () => {
      const { ticket: ticketB } = await createTestTicket(services, tenantB);
      const call = await insertCall({ outcome: 'answered' });
      const ticketsBefore = await testEnv.dataSource.getRepository(Ticket).count();
      const messagesBefore = await testEnv.dataSource.getRepository(Message).count();
      const bad = [
        { mode: 'create', summary: '   ', merchantId: tenantA.merchant.id, category: 'other' },
        {
          mode: 'create',
          summary: 'x'.repeat(10_001),
          merchantId: tenantA.merchant.id,
          category: 'other',
        },
        { mode: 'create', summary: '要約', merchantId: tenantA.merchant.id, category: 'nope' },
        { mode: 'create', summary: '要約', merchantId: tenantB.merchant.id, category: 'other' },
      ];
      for (const body of bad)
        await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession).send(body).expect(400);
      // Another merchant's ticket is as unknown as a made-up reference.
      await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession)
        .send({
          mode: 'link',
          summary: '要約',
          merchantId: tenantA.merchant.id,
          category: 'other',
          reference: ticketB.reference,
        })
        .expect(404);
      await post(`/api/v1/calls/${call.id}/wrap-up`, agentASession)
        .send({
          mode: 'link',
          summary: '要約',
          merchantId: tenantA.merchant.id,
          category: 'other',
          reference: 'ZZZZ-ZZZZ',
        })
        .expect(404);
      expect(await testEnv.dataSource.getRepository(Ticket).count()).toBe(ticketsBefore);
      expect(await testEnv.dataSource.getRepository(Message).count()).toBe(messagesBefore);
      expect((await callRow(call.id)).ticketId).toBeNull();
    });

    it("should answer 404 for another merchant's call and 403 to merchant users", async () => {
      const callB = await insertCall({ outcome: 'answered', merchantId: tenantB.merchant.id });
      await get(`/api/v1/calls/${callB.id}`, agentASession).expect(404);
      await get(`/calls/${callB.id}`, agentASession).expect(404);
      await post(`/api/v1/calls/${callB.id}/wrap-up`, agentASession)
        .send({
          mode: 'create',
          summary: '要約',
          merchantId: tenantA.merchant.id,
          category: 'other',
        })
        .expect(404);
      await post(`/api/v1/calls/${callB.id}/callback-done`, agentASession).expect(404);
      await get(`/api/v1/calls/${callB.id}`, agentBSession).expect(200);
      await get(`/api/v1/calls/${callB.id}`, viewerASession).expect(403);
      await get('/api/v1/calls/callbacks', viewerASession).expect(403);
      await get('/api/v1/calls/stats', viewerASession).expect(403);
      await get('/calls/log', viewerASession).expect(403);
      expect((await callRow(callB.id)).ticketId).toBeNull();
    });

    it('should render the call page through the console form and escape stored text', async () => {
      const call = await insertCall({ outcome: 'answered', merchantId: tenantA.merchant.id });
      const page = await get(`/calls/${call.id}`, agentASession).expect(200);
      expect(withoutWordBreaks(page.text)).toContain('通話の記録');
      expect(withoutWordBreaks(page.text)).toContain('+819012345678');
      const viewed = await testEnv.dataSource
        .getRepository(AuditEvent)
        .findBy({ targetId: String(call.id), action: 'call.viewed' });
      expect(viewed.length).toBeGreaterThanOrEqual(1);
      const invalid = await post(`/calls/${call.id}/wrap-up`, agentASession)
        .type('form')
        .send({
          _csrf: agentASession.csrfToken,
          mode: 'create',
          summary: '',
          merchantId: String(tenantA.merchant.id),
          category: 'other',
          requesterName: '<script>alert(1)</script>',
        })
        .expect(400);
      expect(withoutWordBreaks(invalid.text)).toContain('通話の要約を入力してください。');
      expect(withoutWordBreaks(invalid.text)).not.toContain('<script>alert(1)</script>');
      expect(withoutWordBreaks(invalid.text)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const done = await post(`/calls/${call.id}/wrap-up`, agentASession)
        .type('form')
        .send({
          _csrf: agentASession.csrfToken,
          mode: 'create',
          summary: '電話で受付',
          merchantId: String(tenantA.merchant.id),
          category: 'password',
        })
        .expect(303);
      expect(done.headers.location).toMatch(new RegExp(`^/calls/${call.id}\\?done=created`));
    });
  });

  describe('callbacks', () => {
    it('should list missed calls and voicemails oldest first and mark one done', async () => {
      const old = await insertCall({
        outcome: 'abandoned',
        callerIdWithheld: false,
        startedAt: new Date(Date.now() - 3_600_000),
        waitSeconds: 80,
      });
      // A withheld caller who only hung up cannot be called back (issue 15): not listed.
      const withheld = await insertCall({ outcome: 'abandoned', callerIdWithheld: true });
      const voicemail = await insertCall({
        outcome: 'voicemail',
        withinHours: false,
        startedAt: new Date(Date.now() - 1_800_000),
        merchantId: tenantA.merchant.id,
        // Stored sealed, as the recorder writes them (ENCRYPTED_COLUMNS).
        recordingSid: services.get(FieldCipher).encrypt('RE00000000000000000000000000000001'),
        recordingUrl: services
          .get(FieldCipher)
          .encrypt(
            'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE00000000000000000000000000000001',
          ),
        recordingSeconds: 42,
      });
      await insertCall({ outcome: 'answered' });
      await insertCall({ outcome: 'out_of_hours', withinHours: false });
      const list = await get('/api/v1/calls/callbacks', agentASession).expect(200);
      const ids = (list.body as { items: { id: number }[] }).items.map((item) => item.id);
      expect(ids.indexOf(old.id)).toBeLessThan(ids.indexOf(voicemail.id));
      expect(ids.indexOf(old.id)).toBeGreaterThanOrEqual(0);
      expect(ids).not.toContain(withheld.id);
      const page = await get('/calls/callbacks', agentASession).expect(200);
      // The voicemail plays in the desk (issue 15), not from a Twilio link.
      expect(withoutWordBreaks(page.text)).toContain(`src="/calls/${voicemail.id}/recording"`);
      expect(withoutWordBreaks(page.text)).not.toContain('RE00000000000000000000000000000001');
      expect(withoutWordBreaks(page.text)).toContain('この加盟店でお問い合わせを作成');

      await post(`/api/v1/calls/${old.id}/callback-done`, agentASession).expect(204);
      const row = await callRow(old.id);
      expect(row.callbackDoneAt).not.toBeNull();
      expect(row.callbackDoneByUserId).toBe(agentA.id);
      const after = await get('/api/v1/calls/callbacks', agentASession).expect(200);
      expect(
        (after.body as { items: { id: number }[] }).items.map((item) => item.id),
      ).not.toContain(old.id);
      const answered = await insertCall({ outcome: 'answered' });
      await post(`/api/v1/calls/${answered.id}/callback-done`, agentASession).expect(409);
    });

    it('should turn a voicemail into a ticket whose call message names the recording', async () => {
      const voicemail = await insertCall({
        outcome: 'voicemail',
        withinHours: false,
        merchantId: tenantA.merchant.id,
        siteId: tenantA.site.id,
        // Stored sealed, as the recorder writes them (ENCRYPTED_COLUMNS).
        recordingSid: services.get(FieldCipher).encrypt('RE00000000000000000000000000000009'),
        recordingUrl: services
          .get(FieldCipher)
          .encrypt(
            'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE00000000000000000000000000000009',
          ),
        recordingSeconds: 30,
      });
      const response = await post(`/api/v1/calls/${voicemail.id}/wrap-up`, agentASession)
        .send({
          mode: 'create',
          summary: '留守電: パスワード変更の方法について',
          merchantId: tenantA.merchant.id,
          category: 'password',
        })
        .expect(201);
      const ticket = await testEnv.dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ reference: (response.body as { reference: string }).reference });
      expect(ticket.siteId).toBe(tenantA.site.id);
      expect(ticket.firstRespondedAt).toBeNull();
      const [message] = await testEnv.dataSource
        .getRepository(Message)
        .findBy({ ticketId: ticket.id });
      const text = services.get(FieldCipher).decrypt(message.body as string);
      expect(text).toContain('RE00000000000000000000000000000009');
      expect(text).toContain('留守番電話');
    });
  });
});
