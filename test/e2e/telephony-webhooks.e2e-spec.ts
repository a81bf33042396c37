import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { User } from '@madoguchi/auth';
import { FixedClock } from '@madoguchi/common';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { createTestUser } from '../support/desk-test-app';
import {
  callParams,
  callRow,
  callRows,
  newCallSid,
  newRecordingSid,
  startTelephonyApp,
  TEST_TELEPHONY_PUBLIC_URL,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const IN_HOURS = '2026-11-26T11:00:00+09:00'; // a Thursday
const OUT_OF_HOURS = '2026-11-26T20:00:00+09:00';

describe('telephony webhooks', () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  const clock = new FixedClock(IN_HOURS);

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    app = await startTelephonyApp(testEnv, clock);
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  beforeEach(() => clock.set(IN_HOURS));

  async function incoming(callSid: string, from?: string): Promise<string> {
    const response = await twilioPost(
      app,
      '/twilio/voice/incoming',
      callParams(callSid, from),
    ).expect(200);
    return response.text;
  }

  async function phoneCode(callSid: string, attempt: number, digits?: string): Promise<string> {
    const params: Record<string, string> = { ...callParams(callSid), CallStatus: 'in-progress' };
    if (digits !== undefined) params.Digits = digits;
    const response = await twilioPost(
      app,
      `/twilio/voice/phone-code?attempt=${attempt}`,
      params,
    ).expect(200);
    return response.text;
  }

  function status(
    callSid: string,
    callStatus: string,
    sequence: number,
    extra: Record<string, string> = {},
  ) {
    return twilioPost(app, '/twilio/voice/status', {
      ...callParams(callSid),
      CallStatus: callStatus,
      SequenceNumber: String(sequence),
      Timestamp: 'Thu, 26 Nov 2026 02:05:00 +0000',
      CallbackSource: 'call-progress-events',
      ...extra,
    });
  }

  describe('signature', () => {
    it('should refuse an unsigned request with 403 and write nothing', async () => {
      const callSid = newCallSid();
      const response = await twilioPost(app, '/twilio/voice/incoming', callParams(callSid), {
        signature: null,
      }).expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });

    it('should refuse a request signed with another token with 403 and write nothing', async () => {
      const callSid = newCallSid();
      await twilioPost(app, '/twilio/voice/incoming', callParams(callSid), {
        token: 'not-the-auth-token',
      }).expect(403);
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });

    it('should refuse a signature over another URL (host or path) with 403', async () => {
      const callSid = newCallSid();
      await twilioPost(app, '/twilio/voice/incoming', callParams(callSid), {
        signedUrl: 'https://attacker.example/twilio/voice/incoming',
      }).expect(403);
      await twilioPost(app, '/twilio/voice/incoming', callParams(callSid), {
        signedUrl: `${TEST_TELEPHONY_PUBLIC_URL}/twilio/voice/status`,
      }).expect(403);
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });

    it('should refuse a body changed after signing with 403', async () => {
      const callSid = newCallSid();
      const signedFor = callParams(callSid);
      const signature = (await import('twilio')).default.getExpectedTwilioSignature(
        'test-twilio-auth-token-0123456789',
        `${TEST_TELEPHONY_PUBLIC_URL}/twilio/voice/incoming`,
        signedFor,
      );
      await twilioPost(
        app,
        '/twilio/voice/incoming',
        { ...signedFor, From: '+819099999999' },
        {
          signature,
        },
      ).expect(403);
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });

    it('should cover the query string: a changed attempt= is refused', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      await twilioPost(app, '/twilio/voice/phone-code?attempt=2', callParams(callSid), {
        signedUrl: `${TEST_TELEPHONY_PUBLIC_URL}/twilio/voice/phone-code?attempt=1`,
      }).expect(403);
    });

    it('should accept parameters Twilio adds that no DTO knows of', async () => {
      const callSid = newCallSid();
      await twilioPost(app, '/twilio/voice/incoming', {
        ...callParams(callSid),
        StirVerstat: 'TN-Validation-Passed-A',
        CallToken: '%7B%22parentCallInfoToken%22%3A%22eyJ%22%7D',
        FromCountry: 'JP',
        SomethingNew2027: 'x',
      }).expect(200);
      expect(await callRows(testEnv, callSid)).toHaveLength(1);
    });

    it('should keep /healthz public', async () => {
      const request = (await import('supertest')).default;
      await request(app.getHttpServer()).get('/healthz').expect(200);
    });
  });

  describe('bad parameters', () => {
    it('should answer 400 with field errors and write nothing for a malformed CallSid', async () => {
      for (const bad of ['CA123', `XX${'a'.repeat(32)}`, `CA${'g'.repeat(32)}`]) {
        const response = await twilioPost(app, '/twilio/voice/incoming', {
          ...callParams(bad),
        }).expect(400);
        expect(response.body).toMatchObject({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'CallSid', message: expect.any(String) }],
        });
        expect(await callRows(testEnv, bad)).toHaveLength(0);
      }
    });

    it('should answer 400 for a missing CallSid, an unknown CallStatus or a bad SequenceNumber', async () => {
      const { CallSid: _omit, ...withoutSid } = callParams(newCallSid());
      await twilioPost(app, '/twilio/voice/status', {
        ...withoutSid,
        CallStatus: 'completed',
      }).expect(400);
      const callSid = newCallSid();
      await status(callSid, 'exploded', 1).expect(400);
      await status(callSid, 'completed', 1, { SequenceNumber: 'abc' }).expect(400);
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });

    it('should accept an upper-case CallSid', async () => {
      const callSid = `CA${'AB12'.repeat(8)}`;
      await incoming(callSid);
      expect(await callRows(testEnv, callSid)).toHaveLength(1);
    });

    it('should answer 400 for a recording without RecordingSid or with a non-http URL', async () => {
      const callSid = newCallSid();
      await twilioPost(app, '/twilio/voice/voicemail', {
        ...callParams(callSid),
        RecordingUrl: 'https://api.twilio.com/rec',
      }).expect(400);
      await twilioPost(app, '/twilio/voice/recording', {
        ...callParams(callSid),
        RecordingSid: newRecordingSid(),
        RecordingUrl: 'javascript:alert(1)',
      }).expect(400);
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });
  });

  describe('call log rows', () => {
    it('should store the caller encrypted with a blind index, and the called number', async () => {
      const callSid = newCallSid();
      await incoming(callSid, '+819012345678');
      const row = await callRow(testEnv, callSid);
      expect(row.callerIdWithheld).toBe(false);
      expect(row.fromNumber).not.toContain('9012345678');
      expect(app.get(FieldCipher).decrypt(row.fromNumber as string)).toBe('+819012345678');
      expect(row.fromIndex).toBe(app.get(BlindIndex).phone('+819012345678'));
      expect(row.toNumber).toBe('+81367447492');
      expect(row.startedAt?.toISOString()).toBe('2026-11-26T02:00:00.000Z');
      expect(row.status).toBe('ringing');
    });

    it.each([['anonymous'], ['+266696687'], ['']])(
      'should log a withheld caller ID (%p) as withheld, never as a number',
      async (from) => {
        const callSid = newCallSid();
        await incoming(callSid, from);
        const row = await callRow(testEnv, callSid);
        expect(row.callerIdWithheld).toBe(true);
        expect(row.fromNumber).toBeNull();
        expect(row.fromIndex).toBeNull();
      },
    );

    it('should keep one row for the same incoming request sent twice', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      clock.set('2026-11-26T20:00:00+09:00');
      // A retried incoming after hours keeps the first decision: the call came in during hours.
      expect(await incoming(callSid)).toContain('<Gather');
      expect(await callRows(testEnv, callSid)).toHaveLength(1);
    });

    it('should keep one row for concurrent identical incoming requests', async () => {
      const callSid = newCallSid();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          twilioPost(app, '/twilio/voice/incoming', callParams(callSid)),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await callRows(testEnv, callSid)).toHaveLength(1);
    });

    it('should end with one consistent row for concurrent mixed callbacks', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      for (let round = 0; round < 5; round++) {
        const callSid = newCallSid();
        const responses = await Promise.all([
          twilioPost(app, '/twilio/voice/incoming', callParams(callSid)),
          status(callSid, 'ringing', 1),
          twilioPost(app, '/twilio/voice/queue-result', {
            ...callParams(callSid),
            QueueResult: 'bridged',
            QueueTime: '12',
          }),
          twilioPost(app, `/twilio/voice/agent-bridged?agentId=${agent.id}`, {
            ...callParams(callSid),
            QueueTime: '12',
          }),
          status(callSid, 'completed', 2, { CallDuration: '300' }),
        ]);
        expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
        const rows = await callRows(testEnv, callSid);
        expect(rows).toHaveLength(1);
        const [row] = rows;
        expect(row.outcome).toBe('answered');
        expect(row.status).toBe('completed');
        expect(row.withinHours).toBe(true);
        expect(row.agentId).toBe(agent.id);
        expect(row.answeredAt).not.toBeNull();
        expect(row.endedAt?.toISOString()).toBe('2026-11-26T02:05:00.000Z');
        expect(row.talkSeconds).toEqual(expect.any(Number));
        expect(row.talkSeconds).toBeGreaterThanOrEqual(0);
        expect(row.lastSequence).toBe(2);
      }
    });
  });

  describe('phone code', () => {
    it('should tag the call with the site and merchant of a known code and enqueue it', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      const twiml = await phoneCode(callSid, 1, `${tenant.site.phoneCode}#`);
      expect(twiml).toContain('ショップ番号を確認しました');
      expect(twiml).toContain('<Enqueue');
      const row = await callRow(testEnv, callSid);
      expect(row.siteId).toBe(tenant.site.id);
      expect(row.merchantId).toBe(tenant.merchant.id);
      expect(row.status).toBe('enqueued');
      expect(row.enqueuedAt).not.toBeNull();
    });

    it('should ask once more after a wrong code, then go on untagged after a second wrong one', async () => {
      const callSid = newCallSid();
      await incoming(callSid);

      const retry = await phoneCode(callSid, 1, '99999999');
      expect(retry).toContain('<Gather');
      expect(retry).toContain('phone-code?attempt=2');
      expect(retry).not.toContain('<Enqueue');
      expect((await callRow(testEnv, callSid)).enqueuedAt).toBeNull();

      const enqueued = await phoneCode(callSid, 2, '99999998');
      expect(enqueued).toContain('<Enqueue');
      const row = await callRow(testEnv, callSid);
      expect(row.siteId).toBeNull();
      expect(row.merchantId).toBeNull();
      expect(row.status).toBe('enqueued');
    });

    it('should take a right code at the second attempt', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      await phoneCode(callSid, 1, '99999999');
      await phoneCode(callSid, 2, tenant.site.phoneCode as string);
      expect((await callRow(testEnv, callSid)).merchantId).toBe(tenant.merchant.id);
    });

    it('should enqueue untagged when the caller keys nothing', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      expect(await phoneCode(callSid, 1)).toContain('<Enqueue');
      expect((await callRow(testEnv, callSid)).merchantId).toBeNull();
    });

    it('should never enqueue a call that came in out of hours', async () => {
      clock.set(OUT_OF_HOURS);
      const callSid = newCallSid();
      await incoming(callSid);
      const twiml = await phoneCode(callSid, 1, tenant.site.phoneCode as string);
      expect(twiml).not.toContain('<Enqueue');
      expect(twiml).toContain('<Record');
      expect((await callRow(testEnv, callSid)).enqueuedAt).toBeNull();
    });
  });

  describe('queue and status callbacks', () => {
    it('should announce position and expected wait in Japanese on the wait URL', async () => {
      const response = await twilioPost(app, '/twilio/voice/wait', {
        ...callParams(newCallSid()),
        QueuePosition: '3',
        AvgQueueTime: '150',
        QueueTime: '20',
        CurrentQueueSize: '4',
        QueueSid: `QU${'1'.repeat(32)}`,
      }).expect(200);
      expect(response.text).toContain('現在、3番目にお待ちいただいています。');
      expect(response.text).toContain('おおよその待ち時間は、3分です。');
      expect(response.text).toContain('<Pause length="20"/>');
    });

    it('should record a bridged queue result as answered with its wait', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      await phoneCode(callSid, 1);
      await twilioPost(app, '/twilio/voice/queue-result', {
        ...callParams(callSid),
        QueueResult: 'bridged',
        QueueTime: '42',
        QueueSid: `QU${'1'.repeat(32)}`,
      }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.queueResult).toBe('bridged');
      expect(row.waitSeconds).toBe(42);
      expect(row.outcome).toBe('answered');
      expect(row.answeredAt?.toISOString()).toBe('2026-11-26T02:00:42.000Z');
      expect(row.status).toBe('in-progress');
    });

    it('should record a hangup in the queue as abandoned', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      await phoneCode(callSid, 1);
      await twilioPost(app, '/twilio/voice/queue-result', {
        ...callParams(callSid),
        QueueResult: 'hangup',
        QueueTime: '75',
      }).expect(200);
      await status(callSid, 'completed', 3, { CallDuration: '90' }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.outcome).toBe('abandoned');
      expect(row.waitSeconds).toBe(75);
      expect(row.answeredAt).toBeNull();
      expect(row.status).toBe('completed');
    });

    it('should keep completed when a late ringing callback arrives, and ignore an old SequenceNumber', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      await status(callSid, 'completed', 5, { CallDuration: '30' }).expect(200);
      await status(callSid, 'ringing', 1).expect(200);
      await status(callSid, 'in-progress', 6).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.status).toBe('completed');
      expect(row.lastSequence).toBe(6);
      expect(row.endedAt?.toISOString()).toBe('2026-11-26T02:05:00.000Z');
    });

    it('should leave one unchanged row when the same callback comes twice', async () => {
      const callSid = newCallSid();
      await incoming(callSid);
      await status(callSid, 'completed', 2, { CallDuration: '30' }).expect(200);
      const first = await callRow(testEnv, callSid);
      await status(callSid, 'completed', 2, { CallDuration: '30' }).expect(200);
      const rows = await callRows(testEnv, callSid);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(first);
    });

    it('should create the row for a late callback of an unknown CallSid', async () => {
      const callSid = newCallSid();
      await status(callSid, 'completed', 4, { CallDuration: '61' }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.status).toBe('completed');
      expect(row.endedAt?.toISOString()).toBe('2026-11-26T02:05:00.000Z');
      expect(row.startedAt?.toISOString()).toBe('2026-11-26T02:03:59.000Z');
      expect(row.callerIdWithheld).toBe(false);
    });

    it('should end with the same row whether completed comes before or after the incoming request', async () => {
      const callSid = newCallSid();
      await status(callSid, 'completed', 9, { CallDuration: '10' }).expect(200);
      await incoming(callSid);
      const row = await callRow(testEnv, callSid);
      expect(row.status).toBe('completed');
      expect(row.withinHours).toBe(true);
    });

    it('should map busy, no-answer and canceled to their outcomes', async () => {
      for (const [callStatus, outcome] of [
        ['busy', 'busy'],
        ['no-answer', 'no_answer'],
        ['failed', 'failed'],
        ['canceled', 'abandoned'],
      ]) {
        const callSid = newCallSid();
        await status(callSid, callStatus, 1).expect(200);
        expect((await callRow(testEnv, callSid)).outcome).toBe(outcome);
      }
    });

    it('should log out_of_hours for an out-of-hours call whose completed came before incoming', async () => {
      clock.set(OUT_OF_HOURS);
      const callSid = newCallSid();
      await status(callSid, 'completed', 3, { CallDuration: '20' }).expect(200);
      expect((await callRow(testEnv, callSid)).outcome).toBe('abandoned');
      expect(await incoming(callSid)).toContain('<Record');
      const row = await callRow(testEnv, callSid);
      expect(row.withinHours).toBe(false);
      expect(row.status).toBe('completed');
      expect(row.outcome).toBe('out_of_hours');
    });
  });

  describe('voicemail', () => {
    async function voicemailCall(): Promise<{ callSid: string; recordingSid: string }> {
      clock.set(OUT_OF_HOURS);
      const callSid = newCallSid();
      expect(await incoming(callSid)).toContain('<Record');
      return { callSid, recordingSid: newRecordingSid() };
    }

    function recordingParams(callSid: string, recordingSid: string): Record<string, string> {
      return {
        ...callParams(callSid),
        RecordingSid: recordingSid,
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/${recordingSid}`,
        RecordingDuration: '17',
      };
    }

    it('should store the recording from the Record action and then its status callback, once', async () => {
      const { callSid, recordingSid } = await voicemailCall();
      const thanks = await twilioPost(app, '/twilio/voice/voicemail', {
        ...recordingParams(callSid, recordingSid),
        Digits: '#',
      }).expect(200);
      expect(thanks.text).toContain('メッセージをお預かりしました');
      expect(thanks.text).toContain('<Hangup/>');
      await twilioPost(app, '/twilio/voice/recording', {
        ...recordingParams(callSid, recordingSid),
        RecordingStatus: 'completed',
        RecordingChannels: '1',
        RecordingSource: 'RecordVerb',
      }).expect(200);
      await status(callSid, 'completed', 3, { CallDuration: '40' }).expect(200);

      const row = await callRow(testEnv, callSid);
      expect(app.get(FieldCipher).decrypt(row.recordingSid as string)).toBe(recordingSid);
      expect(row.recordingSeconds).toBe(17);
      expect(row.outcome).toBe('voicemail');
      expect(row.status).toBe('completed');
    });

    it('should end the same when the recording callback arrives before the Record action', async () => {
      const { callSid, recordingSid } = await voicemailCall();
      await status(callSid, 'completed', 3, { CallDuration: '40' }).expect(200);
      await twilioPost(app, '/twilio/voice/recording', {
        ...recordingParams(callSid, recordingSid),
        RecordingStatus: 'completed',
      }).expect(200);
      await twilioPost(
        app,
        '/twilio/voice/voicemail',
        recordingParams(callSid, recordingSid),
      ).expect(200);

      const rows = await callRows(testEnv, callSid);
      expect(rows).toHaveLength(1);
      expect(app.get(FieldCipher).decrypt(rows[0].recordingSid as string)).toBe(recordingSid);
      expect(rows[0].outcome).toBe('voicemail');
    });

    it('should log a voicemail when the recording comes after completed', async () => {
      const callSid = newCallSid();
      const recordingSid = newRecordingSid();
      await status(callSid, 'completed', 3, { CallDuration: '40' }).expect(200);
      expect((await callRow(testEnv, callSid)).outcome).toBe('abandoned');
      await twilioPost(app, '/twilio/voice/recording', {
        ...recordingParams(callSid, recordingSid),
        RecordingStatus: 'completed',
      }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.outcome).toBe('voicemail');
      expect(row.status).toBe('completed');
      expect(app.get(FieldCipher).decrypt(row.recordingSid as string)).toBe(recordingSid);
    });

    it('should end identical in all 6 orders of incoming, completed and recording', async () => {
      clock.set(OUT_OF_HOURS);
      type Step = 'incoming' | 'completed' | 'recording';
      const orders: Step[][] = [
        ['incoming', 'completed', 'recording'],
        ['incoming', 'recording', 'completed'],
        ['completed', 'incoming', 'recording'],
        ['completed', 'recording', 'incoming'],
        ['recording', 'incoming', 'completed'],
        ['recording', 'completed', 'incoming'],
      ];
      const results: unknown[] = [];
      for (const order of orders) {
        const callSid = newCallSid();
        const recordingSid = newRecordingSid();
        for (const step of order) {
          if (step === 'incoming') {
            expect(await incoming(callSid)).toContain('<Record');
          } else if (step === 'completed') {
            // Ended 40 s after the incoming request (11:00:00Z): the same start in every order.
            await status(callSid, 'completed', 3, {
              CallDuration: '40',
              Timestamp: 'Thu, 26 Nov 2026 11:00:40 +0000',
            }).expect(200);
          } else {
            await twilioPost(app, '/twilio/voice/recording', {
              ...recordingParams(callSid, recordingSid),
              RecordingStatus: 'completed',
            }).expect(200);
          }
        }
        const rows = await callRows(testEnv, callSid);
        expect(rows).toHaveLength(1);
        const {
          id: _id,
          callSid: _sid,
          recordingSid: rowRecordingSid,
          recordingUrl,
          fromNumber,
          createdAt: _created,
          updatedAt: _updated,
          ...rest
        } = rows[0];
        // Sealed at rest: each value opens to what Twilio sent.
        expect(app.get(FieldCipher).decrypt(rowRecordingSid as string)).toBe(recordingSid);
        expect(app.get(FieldCipher).decrypt(recordingUrl as string)).toContain(recordingSid);
        expect(fromNumber).not.toBeNull();
        results.push(rest);
      }
      expect(results[0]).toMatchObject({
        outcome: 'voicemail',
        status: 'completed',
        withinHours: false,
        recordingSeconds: 17,
      });
      for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    });

    it('should keep an out-of-hours call without a message as out_of_hours', async () => {
      const { callSid, recordingSid } = await voicemailCall();
      await twilioPost(app, '/twilio/voice/recording', {
        ...recordingParams(callSid, recordingSid),
        RecordingStatus: 'absent',
      }).expect(200);
      await status(callSid, 'completed', 2, { CallDuration: '15' }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.outcome).toBe('out_of_hours');
      expect(row.recordingSid).toBeNull();
    });
  });

  describe('agents', () => {
    function agentDial(userId: number) {
      return twilioPost(app, '/twilio/voice/agent-dial', {
        AccountSid: `AC${'0'.repeat(32)}`,
        CallSid: newCallSid(),
        From: `client:agent-${userId}`,
        To: '',
        Direction: 'inbound',
      }).expect(200);
    }

    async function disabledAgent(): Promise<User> {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await testEnv.dataSource
        .getRepository(User)
        .update({ id: agent.id }, { disabledAt: new Date('2026-11-01T00:00:00Z') });
      return agent;
    }

    it('should dial the window queue for an agent client with the bridged URL', async () => {
      for (const role of ['agent', 'supervisor', 'admin'] as const) {
        const user = await createTestUser(testEnv.dataSource, { role });
        const response = await agentDial(user.id);
        expect(response.text).toContain('<Dial><Queue');
        expect(response.text).toContain(
          `url="https://telephony.madoguchi.test/twilio/voice/agent-bridged?agentId=${user.id}"`,
        );
        expect(response.text).toContain('>window</Queue>');
      }
    });

    it('should say no and hang up for a disabled agent, a merchant user or an unknown user', async () => {
      const merchantUser = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      for (const userId of [(await disabledAgent()).id, merchantUser.id, 999_999_999]) {
        const response = await agentDial(userId);
        expect(response.text).toMatch(/<Say language="ja-JP"[^>]*>[^<]+<\/Say><Hangup\/>/);
        expect(response.text).not.toContain('<Dial');
        expect(response.text).not.toContain('agent-bridged');
      }
    });

    it('should record no agent when a disabled agent or a merchant user is bridged', async () => {
      const merchantUser = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      for (const userId of [(await disabledAgent()).id, merchantUser.id]) {
        const callSid = newCallSid();
        await incoming(callSid);
        await phoneCode(callSid, 1);
        await twilioPost(app, `/twilio/voice/agent-bridged?agentId=${userId}`, {
          ...callParams(callSid),
          QueueTime: '5',
        }).expect(200);
        const row = await callRow(testEnv, callSid);
        expect(row.agentId).toBeNull();
        expect(row.answeredAt?.toISOString()).toBe('2026-11-26T02:00:05.000Z');
      }
    });

    it('should take the answer time from QueueTime when agent-bridged arrives after the end', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const callSid = newCallSid();
      await incoming(callSid);
      await phoneCode(callSid, 1);
      await status(callSid, 'completed', 4, {
        CallDuration: '210',
        Timestamp: 'Thu, 26 Nov 2026 02:03:30 +0000',
      }).expect(200);
      clock.set('2026-11-26T11:10:00+09:00');
      await twilioPost(app, `/twilio/voice/agent-bridged?agentId=${agent.id}`, {
        ...callParams(callSid),
        QueueTime: '30',
      }).expect(200);
      const row = await callRow(testEnv, callSid);
      expect(row.agentId).toBe(agent.id);
      expect(row.answeredAt?.toISOString()).toBe('2026-11-26T02:00:30.000Z');
      expect(row.talkSeconds).toBe(180);
      expect(row.outcome).toBe('answered');
      expect(row.status).toBe('completed');

      // Without QueueTime (or past the end) the answer is never later than the end.
      const late = newCallSid();
      await incoming(late);
      await phoneCode(late, 1);
      await status(late, 'completed', 4, {
        CallDuration: '210',
        Timestamp: 'Thu, 26 Nov 2026 02:03:30 +0000',
      }).expect(200);
      await twilioPost(
        app,
        `/twilio/voice/agent-bridged?agentId=${agent.id}`,
        callParams(late),
      ).expect(200);
      const lateRow = await callRow(testEnv, late);
      expect(lateRow.answeredAt?.toISOString()).toBe('2026-11-26T02:03:30.000Z');
      expect(lateRow.talkSeconds).toBe(0);
    });

    it('should refuse an agent-dial from something that is not an agent client with 400', async () => {
      await twilioPost(app, '/twilio/voice/agent-dial', {
        CallSid: newCallSid(),
        From: '+819012345678',
      }).expect(400);
    });

    it('should record the agent and the answer time when an agent bridges a caller', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const callSid = newCallSid();
      await incoming(callSid);
      await phoneCode(callSid, 1);
      clock.set('2026-11-26T11:00:30+09:00');
      const response = await twilioPost(app, `/twilio/voice/agent-bridged?agentId=${agent.id}`, {
        ...callParams(callSid),
        QueueSid: `QU${'1'.repeat(32)}`,
        QueueTime: '30',
        DequeingCallSid: newCallSid(),
      }).expect(200);
      expect(response.text).toContain('担当者におつなぎします');
      clock.set('2026-11-26T11:03:30+09:00');
      await twilioPost(app, '/twilio/voice/queue-result', {
        ...callParams(callSid),
        QueueResult: 'bridged',
        QueueTime: '30',
      }).expect(200);
      await status(callSid, 'completed', 4, {
        CallDuration: '210',
        Timestamp: 'Thu, 26 Nov 2026 02:03:30 +0000',
      }).expect(200);

      const row = await callRow(testEnv, callSid);
      expect(row.agentId).toBe(agent.id);
      expect(row.answeredAt?.toISOString()).toBe('2026-11-26T02:00:30.000Z');
      expect(row.outcome).toBe('answered');
      expect(row.waitSeconds).toBe(30);
      expect(row.talkSeconds).toBe(180);
    });

    it('should answer 400 for agent-bridged without a numeric agentId', async () => {
      const callSid = newCallSid();
      await twilioPost(app, '/twilio/voice/agent-bridged?agentId=abc', callParams(callSid)).expect(
        400,
      );
      expect(await callRows(testEnv, callSid)).toHaveLength(0);
    });
  });
});

describe('telephony without TWILIO_AUTH_TOKEN', () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    app = await startTelephonyApp(testEnv, new FixedClock(IN_HOURS), { TWILIO_AUTH_TOKEN: '' });
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  it('should refuse every webhook with 403 and write nothing, even one signed with some token', async () => {
    const callSid = newCallSid();
    await twilioPost(app, '/twilio/voice/incoming', callParams(callSid), { token: '' }).expect(403);
    await twilioPost(app, '/twilio/voice/incoming', callParams(callSid)).expect(403);
    expect(await callRows(testEnv, callSid)).toHaveLength(0);
  });
});
