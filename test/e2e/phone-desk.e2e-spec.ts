import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Call,
  CallRecordingPart,
  CallRecordingService,
  SIMULATOR_ACCOUNT_SID,
} from '@madoguchi/calls';
import { FixedClock } from '@madoguchi/common';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { Message } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import {
  callParams,
  callRow,
  newCallSid,
  newRecordingSid,
  startTelephonyApp,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { insertTestCall } from '../support/test-call';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { createTestTicket, startTicketServices } from '../support/ticket-desk-test';

const IN_HOURS = '2026-11-27T12:00:00+09:00'; // a Friday
const SATURDAY_NIGHT = '2026-11-28T22:00:00+09:00';
const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'fake-twilio-auth-token-0123456789';
const AUDIO = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(70_000, 7)]);

/**
 * A fake Twilio REST API on loopback: a real HTTP server that checks basic auth, serves one
 * recording as audio/mpeg and accepts its deletion. `expectedToken` may be changed by a test.
 */
interface FakeTwilio {
  server: Server;
  base: string;
  expectedToken: string;
  requests: { method: string; url: string; authorised: boolean }[];
  deleted: Set<string>;
}

async function startFakeTwilio(): Promise<FakeTwilio> {
  const fake = {
    expectedToken: AUTH_TOKEN,
    requests: [],
    deleted: new Set<string>(),
  } as unknown as FakeTwilio;
  fake.server = createServer((req, res) => {
    const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${fake.expectedToken}`).toString('base64')}`;
    const authorised = req.headers.authorization === expected;
    fake.requests.push({ method: req.method ?? '', url: req.url ?? '', authorised });
    if (!authorised) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003}');
      return;
    }
    const match = /^\/2010-04-01\/Accounts\/(AC\w+)\/Recordings\/(RE\w+)\.(mp3|json)$/.exec(
      req.url ?? '',
    );
    if (!match || match[1] !== ACCOUNT_SID || fake.deleted.has(match[2])) {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'DELETE' && match[3] === 'json') {
      fake.deleted.add(match[2]);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && match[3] === 'mp3') {
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': AUDIO.length });
      res.end(AUDIO);
      return;
    }
    res.writeHead(405).end();
  });
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

describe(`the phone desk: overflow, callbacks, voicemail tags, recordings, the window (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let telephony: NestFastifyApplication;
  let services: TestingModule;
  let fake: FakeTwilio;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agentA1: User;
  let agentA2: User;
  let a1: LoggedIn;
  let a2: LoggedIn;
  let agentB: LoggedIn;
  let viewerA: LoggedIn;
  const clock = new FixedClock(IN_HOURS);
  let phoneSequence = 0;

  const http = () => request(desk.getHttpServer());
  const get = (path: string, session: LoggedIn) => http().get(path).set('cookie', session.cookie);
  const post = (path: string, session: LoggedIn) =>
    http().post(path).set('cookie', session.cookie).set('x-csrf-token', session.csrfToken);
  const form = (path: string, session: LoggedIn, fields: Record<string, string>) =>
    http()
      .post(path)
      .set('cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });
  const rowById = (id: number) => testEnv.dataSource.getRepository(Call).findOneByOrFail({ id });
  const cipher = () => services.get(FieldCipher);

  /** A fresh Japanese mobile number, so each test's caller has its own blind index. */
  function newCaller(): string {
    phoneSequence += 1;
    return `+8190${String(20_000_000 + phoneSequence).padStart(8, '0')}`;
  }

  function insertCall(fields: Partial<Call>, caller: string | null = newCaller()): Promise<Call> {
    return insertTestCall(testEnv.dataSource, {
      fromNumber: caller === null ? null : cipher().encrypt(caller),
      fromIndex: caller === null ? null : services.get(BlindIndex).phone(caller),
      callerIdWithheld: caller === null,
      startedAt: clock.now(),
      ...fields,
    });
  }

  const auditOf = (action: string, callId: number) =>
    testEnv.dataSource.getRepository(AuditEvent).find({
      where: { action, targetType: 'call', targetId: String(callId) },
    });

  async function setEveryoneAvailability(availability: string): Promise<void> {
    await testEnv.dataSource
      .createQueryBuilder()
      .update(User)
      .set({ callAvailability: availability as User['callAvailability'] })
      .execute();
  }

  beforeAll(async () => {
    fake = await startFakeTwilio();
    testEnv = await createTestEnvironment({
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: fake.base,
      TELEPHONY_OVERFLOW_MINUTES: '3',
      TELEPHONY_STORE_RECORDINGS: 'true',
    });
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'A商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'B商店' });
    services = await startTicketServices(testEnv);
    desk = await startDeskApp(testEnv, {}, { clock });
    telephony = await startTelephonyApp(testEnv, clock);
    agentA1 = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '佐藤 一郎',
    });
    agentA2 = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '鈴木 花子',
    });
    const b = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantB.queue.id],
    });
    const viewer = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    a1 = await loginAs(desk, agentA1.email);
    a2 = await loginAs(desk, agentA2.email);
    agentB = await loginAs(desk, b.email);
    viewerA = await loginAs(desk, viewer.email);
  });

  afterAll(async () => {
    await telephony?.close();
    await desk?.close();
    await services?.close();
    await testEnv?.cleanup();
    await new Promise((resolve) => fake?.server.close(resolve));
  });

  afterEach(() => {
    clock.set(IN_HOURS);
  });

  describe('overflow (signed webhooks)', () => {
    async function enqueue(callSid: string, from: string): Promise<void> {
      await twilioPost(telephony, '/twilio/voice/incoming', callParams(callSid, from)).expect(200);
      const queued = await twilioPost(telephony, '/twilio/voice/phone-code?attempt=1', {
        ...callParams(callSid, from),
        Digits: tenantA.site.phoneCode as string,
      }).expect(200);
      expect(queued.text).toContain('<Enqueue');
    }

    it('should hold a caller under TELEPHONY_OVERFLOW_MINUTES and then offer voicemail or a callback with one key', async () => {
      const callSid = newCallSid();
      const caller = newCaller();
      await enqueue(callSid, caller);
      const wait = (queueTime: string) =>
        twilioPost(telephony, '/twilio/voice/wait', {
          ...callParams(callSid, caller),
          QueuePosition: '1',
          QueueTime: queueTime,
          AvgQueueTime: '60',
        }).expect(200);
      const holding = await wait('179');
      expect(holding.text).toContain('<Pause');
      expect(holding.text).not.toContain('<Leave');
      const leaving = await wait('180');
      expect(leaving.text).toContain('<Leave/>');

      const offer = await twilioPost(telephony, '/twilio/voice/queue-result', {
        ...callParams(callSid, caller),
        QueueResult: 'leave',
        QueueTime: '181',
      }).expect(200);
      expect(offer.text).toContain('numDigits="1"');
      expect(offer.text).toContain(
        'action="https://telephony.madoguchi.test/twilio/voice/overflow-choice?attempt=1"',
      );
      expect(offer.text).toContain('留守番電話にメッセージを残す場合は1を');
      expect(offer.text).toContain('折り返しのお電話をご希望の場合は2を');
      expect(offer.text).toContain('language="ja-JP"');
      expect((await callRow(testEnv, callSid)).overflowOfferedAt).not.toBeNull();

      const chosen = await twilioPost(telephony, '/twilio/voice/overflow-choice?attempt=1', {
        ...callParams(callSid, caller),
        Digits: '2',
      }).expect(200);
      expect(chosen.text).toContain('折り返しのご依頼を承りました');
      expect(chosen.text).toContain('<Hangup/>');
      await twilioPost(telephony, '/twilio/voice/status', {
        ...callParams(callSid, caller),
        CallStatus: 'completed',
        CallDuration: '200',
        SequenceNumber: '9',
      }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.callbackRequestedAt).not.toBeNull();
      expect(row.outcome).toBe('callback_requested');

      // It lands in the callback list of the merchant's agents.
      const list = await get('/api/v1/calls/callbacks', a1).expect(200);
      const item = (
        list.body as { items: { id: number; callbackRequested: boolean; outcome: string }[] }
      ).items.find((entry) => entry.id === row.id);
      expect(item).toMatchObject({ callbackRequested: true, outcome: 'callback_requested' });
    });

    it('should record a voicemail on key 1', async () => {
      const callSid = newCallSid();
      const caller = newCaller();
      await enqueue(callSid, caller);
      const chosen = await twilioPost(telephony, '/twilio/voice/overflow-choice?attempt=1', {
        ...callParams(callSid, caller),
        Digits: '1',
      }).expect(200);
      expect(chosen.text).toContain('<Record');
      expect(chosen.text).toContain(
        'action="https://telephony.madoguchi.test/twilio/voice/voicemail"',
      );
      expect((await callRow(testEnv, callSid)).callbackRequestedAt).toBeNull();
    });

    it('should not offer a withheld caller a callback, and ignore key 2 from them', async () => {
      const callSid = newCallSid();
      await enqueue(callSid, 'anonymous');
      const offer = await twilioPost(telephony, '/twilio/voice/queue-result', {
        ...callParams(callSid, 'anonymous'),
        QueueResult: 'leave',
        QueueTime: '200',
      }).expect(200);
      expect(offer.text).toContain('留守番電話にメッセージを残す場合は1を');
      expect(offer.text).not.toContain('2を押して');
      const chosen = await twilioPost(telephony, '/twilio/voice/overflow-choice?attempt=1', {
        ...callParams(callSid, 'anonymous'),
        Digits: '2',
      }).expect(200);
      expect(chosen.text).toContain('overflow-choice?attempt=2');
      expect((await callRow(testEnv, callSid)).callbackRequestedAt).toBeNull();
      const last = await twilioPost(telephony, '/twilio/voice/overflow-choice?attempt=2', {
        ...callParams(callSid, 'anonymous'),
      }).expect(200);
      expect(last.text).toContain('<Hangup/>');
    });

    it('should offer at once, without enqueueing, when no agent is available', async () => {
      await setEveryoneAvailability('away');
      try {
        const callSid = newCallSid();
        const caller = newCaller();
        await twilioPost(telephony, '/twilio/voice/incoming', callParams(callSid, caller)).expect(
          200,
        );
        const next = await twilioPost(telephony, '/twilio/voice/phone-code?attempt=1', {
          ...callParams(callSid, caller),
          Digits: tenantA.site.phoneCode as string,
        }).expect(200);
        expect(next.text).not.toContain('<Enqueue');
        expect(next.text).toContain('numDigits="1"');
        const row = await callRow(testEnv, callSid);
        expect(row.enqueuedAt).toBeNull();
        expect(row.overflowOfferedAt).not.toBeNull();
        expect(row.merchantId).toBe(tenantA.merchant.id);
        // A caller already waiting leaves the queue at the next hold message.
        const wait = await twilioPost(telephony, '/twilio/voice/wait', {
          ...callParams(newCallSid(), caller),
          QueuePosition: '1',
          QueueTime: '5',
        }).expect(200);
        expect(wait.text).toContain('<Leave/>');
      } finally {
        await setEveryoneAvailability('available');
      }
    });
  });

  describe('availability', () => {
    it('should store an agent’s availability from the /calls form and show it in the header', async () => {
      const saved = await form('/calls/availability', a2, { availability: 'busy' }).expect(303);
      expect(saved.headers.location).toBe('/calls?done=availability');
      expect(
        (await testEnv.dataSource.getRepository(User).findOneByOrFail({ id: agentA2.id }))
          .callAvailability,
      ).toBe('busy');
      const page = await get('/calls', a2).expect(200);
      expect(page.text).toMatch(/id="header-availability"[\s\S]*?<option value="busy" selected/);
      expect(page.text).toContain('受付可 ');
      // From another page, the header's form comes back to it.
      const back = await form('/calls/availability', a2, { availability: 'available' })
        .set('referer', `${testEnv.env.DESK_PUBLIC_URL ?? 'http://localhost:3001'}/search?q=x`)
        .expect(303);
      expect(['/search?q=x', '/calls?done=availability']).toContain(back.headers.location);
      await http()
        .put('/api/v1/calls/availability')
        .set('cookie', a2.cookie)
        .set('x-csrf-token', a2.csrfToken)
        .send({ availability: 'sleeping' })
        .expect(400);
      await http()
        .put('/api/v1/calls/availability')
        .set('cookie', a2.cookie)
        .set('x-csrf-token', a2.csrfToken)
        .send({ availability: 'available' })
        .expect(200, { availability: 'available' });
    });
  });

  describe('callbacks', () => {
    it('should let one of two agents claiming one callback at once have it; the other gets 409 naming them', async () => {
      const call = await insertCall({ outcome: 'abandoned', merchantId: tenantA.merchant.id });
      const [first, second] = await Promise.all([
        post(`/api/v1/calls/${call.id}/claim`, a1),
        post(`/api/v1/calls/${call.id}/claim`, a2),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([204, 409]);
      const loser = first.status === 409 ? first : second;
      const row = await rowById(call.id);
      const winner = row.callbackClaimedByUserId === agentA1.id ? agentA1 : agentA2;
      expect([agentA1.id, agentA2.id]).toContain(row.callbackClaimedByUserId);
      expect(loser.body).toMatchObject({ statusCode: 409, code: 'CALLBACK_ALREADY_CLAIMED' });
      expect((loser.body as { message: string }).message).toContain(winner.displayName);
      expect(await auditOf(AUDIT_ACTIONS.callCallbackClaimed, call.id)).toHaveLength(1);
      // The console says so too, on the list.
      const loserSession = winner.id === agentA1.id ? a2 : a1;
      const page = await form(`/calls/${call.id}/claim`, loserSession, {}).expect(409);
      expect(page.text).toContain(`${winner.displayName} さんが担当しています`);
    });

    it('should count attempts, seal the note, write it to the linked ticket, and close the callback when reached', async () => {
      const caller = newCaller();
      const { ticket } = await createTestTicket(services, tenantA, { phone: caller });
      const call = await insertCall(
        { outcome: 'voicemail', merchantId: tenantA.merchant.id, ticketId: ticket.id },
        caller,
      );
      await post(`/api/v1/calls/${call.id}/claim`, a1).expect(204);
      await post(`/api/v1/calls/${call.id}/callback-attempts`, a2)
        .send({ outcome: 'no_answer' })
        .expect(409);
      const before = await rowById(call.id);
      await post(`/api/v1/calls/${call.id}/callback-attempts`, a1)
        .send({ outcome: 'sleeping' })
        .expect(400);
      expect((await rowById(call.id)).callbackAttempts).toBe(before.callbackAttempts);

      const note = '留守電に折り返し先 090-9999-0000 を残しました';
      const firstTry = await post(`/api/v1/calls/${call.id}/callback-attempts`, a1)
        .send({ outcome: 'message_left', note })
        .expect(201);
      expect(firstTry.body).toMatchObject({
        attempts: 1,
        done: false,
        ticketReference: ticket.reference,
      });
      const row = await rowById(call.id);
      expect(row.callbackAttempts).toBe(1);
      expect(row.callbackOutcome).toBe('message_left');
      expect(row.callbackNote).toMatch(/^enc1:/);
      expect(row.callbackNote).not.toContain('090-9999-0000');
      expect(cipher().decrypt(row.callbackNote as string)).toBe(note);
      const messages = await testEnv.dataSource
        .getRepository(Message)
        .find({ where: { ticketId: ticket.id, kind: 'call' } });
      expect(messages.map((m) => cipher().decrypt(m.body as string))).toEqual([
        expect.stringContaining('折り返し電話 1回目'),
      ]);
      expect(cipher().decrypt(messages[0].body as string)).toContain(note);

      // The call page: domestic number as a tel: link, the last attempt, the outcome form.
      const page = await get(`/calls/${call.id}`, a1).expect(200);
      expect(page.text).toContain(`href="tel:${caller}"`);
      expect(page.text).toContain(`>090-${caller.slice(5, 9)}-${caller.slice(9)}<`);
      expect(page.text).toContain('伝言を残した');

      const reached = await form(`/calls/${call.id}/callback-attempt`, a1, {
        outcome: 'reached',
        note: '',
      }).expect(303);
      expect(reached.headers.location).toBe('/calls/callbacks?done=callback');
      const done = await rowById(call.id);
      expect(done.callbackAttempts).toBe(2);
      expect(done.callbackDoneAt).not.toBeNull();
      expect(done.callbackDoneByUserId).toBe(agentA1.id);
      expect(await auditOf(AUDIT_ACTIONS.callCallbackAttempted, call.id)).toHaveLength(2);
      await post(`/api/v1/calls/${call.id}/claim`, a2).expect(409);
    });

    it('should refuse a callback to a withheld caller, and another merchant’s call is 404', async () => {
      const withheld = await insertCall(
        { outcome: 'voicemail', merchantId: tenantA.merchant.id },
        null,
      );
      const refused = await post(`/api/v1/calls/${withheld.id}/claim`, a1).expect(409);
      expect((refused.body as { message: string }).message).toContain('非通知');
      const other = await insertCall({ outcome: 'abandoned', merchantId: tenantB.merchant.id });
      await post(`/api/v1/calls/${other.id}/claim`, a1).expect(404);
      await post(`/api/v1/calls/${other.id}/callback-attempts`, a1)
        .send({ outcome: 'reached' })
        .expect(404);
      expect((await rowById(other.id)).callbackClaimedByUserId).toBeNull();
    });
  });

  describe('voicemail tagged by the caller’s number', () => {
    async function voicemailFrom(caller: string): Promise<Call> {
      const callSid = newCallSid();
      clock.set(SATURDAY_NIGHT);
      await twilioPost(telephony, '/twilio/voice/incoming', callParams(callSid, caller)).expect(
        200,
      );
      // Out of hours is decided at the first request; the desk's sessions go on in the day.
      clock.set(IN_HOURS);
      const recordingSid = newRecordingSid();
      await twilioPost(telephony, '/twilio/voice/recording', {
        ...callParams(callSid, caller),
        RecordingSid: recordingSid,
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`,
        RecordingDuration: '12',
        RecordingStatus: 'completed',
      }).expect(200);
      return callRow(testEnv, callSid);
    }

    it('should tag the voicemail with the one merchant whose open tickets carry the number, and offer to link', async () => {
      const caller = newCaller();
      const { ticket } = await createTestTicket(services, tenantA, { phone: caller });
      const call = await voicemailFrom(caller);
      expect(call.outcome).toBe('voicemail');
      expect(call.merchantId).toBe(tenantA.merchant.id);
      const page = await get(`/calls/${call.id}`, a1).expect(200);
      expect(page.text).toContain('このお問い合わせに紐づける');
      expect(page.text).toContain(`href="/calls/${call.id}?link=${ticket.reference}#wrap-up"`);
      expect(page.text).toMatch(new RegExp(`<option value="${tenantA.merchant.id}"\\s+selected`));
      const linking = await get(`/calls/${call.id}?link=${ticket.reference}`, a1).expect(200);
      expect(linking.text).toMatch(/<option value="link"\s+selected/);
      expect(linking.text).toContain(`value="${ticket.reference}"`);
    });

    it('should leave it untagged when the number has open tickets of two merchants', async () => {
      const caller = newCaller();
      await createTestTicket(services, tenantA, { phone: caller });
      await createTestTicket(services, tenantB, { phone: caller });
      const call = await voicemailFrom(caller);
      expect(call.outcome).toBe('voicemail');
      expect(call.merchantId).toBeNull();
    });
  });

  describe('recordings through the desk (fake Twilio on loopback)', () => {
    function recordingCall(merchantId: number, sid = newRecordingSid(), base = fake.base) {
      return insertCall({
        outcome: 'voicemail',
        merchantId,
        recordingSid: cipher().encrypt(sid),
        recordingUrl: cipher().encrypt(
          `${base}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${sid}`,
        ),
        recordingSeconds: 30,
      });
    }

    it('should stream the recording fetched with the account’s basic auth, audited', async () => {
      const call = await recordingCall(tenantA.merchant.id);
      const response = await get(`/calls/${call.id}/recording`, a1)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(response.headers['content-type']).toContain('audio/mpeg');
      expect(response.headers['cache-control']).toContain('no-store');
      expect(Buffer.compare(response.body as Buffer, AUDIO)).toBe(0);
      expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', authorised: true });
      expect(await auditOf(AUDIT_ACTIONS.callRecordingPlayed, call.id)).toHaveLength(1);
      const api = await get(`/api/v1/calls/${call.id}/recording`, a1).expect(200);
      expect(api.headers['content-type']).toContain('audio/mpeg');
    });

    it('should answer an error when Twilio refuses the credentials', async () => {
      const call = await recordingCall(tenantA.merchant.id);
      fake.expectedToken = 'another-token';
      try {
        const refused = await get(`/api/v1/calls/${call.id}/recording`, a1).expect(502);
        expect(refused.body).toMatchObject({ code: 'RECORDING_UNAVAILABLE' });
        expect(fake.requests.at(-1)).toMatchObject({ authorised: false });
      } finally {
        fake.expectedToken = AUTH_TOKEN;
      }
    });

    it('should answer 404 out of scope and send the credentials nowhere but TWILIO_API_BASE_URL', async () => {
      const other = await recordingCall(tenantB.merchant.id);
      const seen = fake.requests.length;
      await get(`/calls/${other.id}/recording`, a1).expect(404);
      await get(`/api/v1/calls/${other.id}/recording`, viewerA).expect((res) =>
        expect([403, 404]).toContain(res.status),
      );
      expect(fake.requests.length).toBe(seen);
      expect(await auditOf(AUDIT_ACTIONS.callRecordingPlayed, other.id)).toHaveLength(0);
      await get(`/api/v1/calls/${other.id}/recording`, agentB).expect(200);

      const elsewhere = await recordingCall(
        tenantA.merchant.id,
        newRecordingSid(),
        'http://127.0.0.2:9',
      );
      await get(`/api/v1/calls/${elsewhere.id}/recording`, a1).expect(502);
      expect(fake.requests.length).toBe(seen + 1);
    });

    it('should play a simulator recording from the bundled sample', async () => {
      const sid = newRecordingSid();
      const call = await insertCall({
        outcome: 'voicemail',
        merchantId: tenantA.merchant.id,
        recordingSid: cipher().encrypt(sid),
        recordingUrl: cipher().encrypt(
          `https://api.twilio.com/2010-04-01/Accounts/${SIMULATOR_ACCOUNT_SID}/Recordings/${sid}`,
        ),
      });
      const seen = fake.requests.length;
      const response = await get(`/calls/${call.id}/recording`, a1).expect(200);
      expect(response.headers['content-type']).toContain('audio/wav');
      expect(fake.requests.length).toBe(seen);
    });

    it('should keep recordings sealed in the desk in a job, delete them at Twilio, and play the copy', async () => {
      const sid = newRecordingSid();
      const call = await recordingCall(tenantA.merchant.id, sid);
      const job = desk.get(CallRecordingService);
      for (
        let round = 0;
        round < 10 && (await rowById(call.id)).recordingRemoteDeletedAt === null;
        round++
      ) {
        await job.storeDue(clock.now());
      }
      const row = await rowById(call.id);
      expect(row.recordingStoredAt).not.toBeNull();
      expect(row.recordingRemoteDeletedAt).not.toBeNull();
      expect(fake.deleted.has(sid)).toBe(true);
      const parts = await testEnv.dataSource
        .getRepository(CallRecordingPart)
        .find({ where: { callId: call.id }, order: { partNo: 'ASC' } });
      expect(parts.length).toBe(Math.ceil(AUDIO.length / (32 * 1024)));
      for (const part of parts) expect(part.content).toMatch(/^enc1:/);
      expect(await auditOf(AUDIT_ACTIONS.callRecordingStored, call.id)).toHaveLength(1);

      const seen = fake.requests.length;
      const played = await get(`/calls/${call.id}/recording`, a1)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(Buffer.compare(played.body as Buffer, AUDIO)).toBe(0);
      expect(fake.requests.length).toBe(seen);
    });
  });

  describe('the window banner', () => {
    it('should say the window is open on a weekday at noon and closed on Saturday night, disabling take-next', async () => {
      const open = await get('/calls', a1).expect(200);
      expect(open.text).toContain('data-window-open="yes"');
      expect(open.text).toContain('ただいま受付中です');
      expect(open.text).toContain('href="tel:+81367447492">03-6744-7492<');
      expect(open.text).not.toMatch(/id="voice-take-next"[^>]*disabled/);

      clock.set(SATURDAY_NIGHT);
      // A new session at the night's time (sessions follow the desk's clock).
      const night = await loginAs(desk, agentA1.email);
      const closed = await get('/calls', night).expect(200);
      expect(closed.text).toContain('data-window-open="no"');
      expect(closed.text).toContain('ただいま受付時間外です（土日）');
      expect(closed.text).toMatch(/id="voice-take-next"[^>]*disabled/);
      expect(closed.text).toContain('受付時間外のため、待っている通話はありません。');
      const api = await get('/api/v1/calls/window', night).expect(200);
      expect(api.body).toMatchObject({ open: false, reason: 'weekend', number: '+81367447492' });
      expect(new Date((api.body as { nextOpeningAt: string }).nextOpeningAt).toISOString()).toBe(
        '2026-11-30T01:00:00.000Z',
      );
    });
  });
});
