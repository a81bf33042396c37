import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CalendarClosure, CalendarClosureLoader } from '@madoguchi/calendar';
import { FixedClock } from '@madoguchi/common';
import {
  callParams,
  callRow,
  newCallSid,
  startTelephonyApp,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, type TestEnvironment } from '../support/test-database';
import { createTestUser } from '../support/desk-test-app';

/** What the caller's first request decides, by the injected clock: queue or voicemail. */
describe('telephony opening hours (Asia/Tokyo, injected clock)', () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  const clock = new FixedClock('2026-11-27T12:00:00+09:00');

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    await testEnv.dataSource.getRepository(CalendarClosure).save({
      date: '2026-12-31',
      reason: '年末休業',
      createdByUserId: null,
      createdAt: new Date(),
    });
    // An agent (available by default), so in-hours callers are enqueued, not offered the
    // overflow at once (issue 15: nobody available → voicemail or callback).
    await createTestUser(testEnv.dataSource, { role: 'agent' });
    app = await startTelephonyApp(testEnv, clock);
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  /** Places a call at `at` and follows an in-hours answer through the phone-code step. */
  async function callAt(
    at: string,
  ): Promise<{ callSid: string; incoming: string; next: string | null }> {
    clock.set(at);
    const callSid = newCallSid();
    const incoming = await twilioPost(app, '/twilio/voice/incoming', callParams(callSid)).expect(
      200,
    );
    expect(incoming.headers['content-type']).toMatch(/^text\/xml/);
    let next: string | null = null;
    if (incoming.text.includes('<Gather')) {
      const response = await twilioPost(app, '/twilio/voice/phone-code?attempt=1', {
        ...callParams(callSid),
        CallStatus: 'in-progress',
        Digits: '',
      }).expect(200);
      next = response.text;
    }
    return { callSid, incoming: incoming.text, next };
  }

  async function expectVoicemail(at: string): Promise<void> {
    const { callSid, incoming } = await callAt(at);
    expect(incoming).toContain('<Record');
    expect(incoming).toContain('平日10時から18時');
    expect(incoming).toContain('<Hangup/>');
    expect(incoming).not.toContain('<Enqueue');
    expect(incoming).not.toContain('<Gather');
    const row = await callRow(testEnv, callSid);
    expect(row.withinHours).toBe(false);
    expect(row.outcome).toBe('out_of_hours');
    expect(row.enqueuedAt).toBeNull();
  }

  it('should greet in Japanese and enqueue a call on Friday 2026-11-27 at 17:59:59 JST', async () => {
    const { callSid, incoming, next } = await callAt('2026-11-27T17:59:59+09:00');

    expect(incoming).toContain('<Say language="ja-JP" voice="Polly.Mizuki">');
    expect(incoming).toContain(
      'action="https://telephony.madoguchi.test/twilio/voice/phone-code?attempt=1"',
    );
    expect(next).toContain('<Enqueue');
    expect(next).toContain('waitUrl="https://telephony.madoguchi.test/twilio/voice/wait"');
    expect(next).toContain('action="https://telephony.madoguchi.test/twilio/voice/queue-result"');
    expect(next).toContain('>window</Enqueue>');
    const row = await callRow(testEnv, callSid);
    expect(row.withinHours).toBe(true);
    expect(row.status).toBe('enqueued');
    expect(row.enqueuedAt?.toISOString()).toBe('2026-11-27T08:59:59.000Z');
    expect(row.outcome).toBeNull();
  });

  it('should send a call at Friday 18:00:00 JST to voicemail, never to the queue', async () => {
    await expectVoicemail('2026-11-27T18:00:00+09:00');
  });

  it('should still enqueue a call that came in at 17:59:59 when its phone-code step runs after 18:00', async () => {
    clock.set('2026-11-27T17:59:59+09:00');
    const callSid = newCallSid();
    await twilioPost(app, '/twilio/voice/incoming', callParams(callSid)).expect(200);
    clock.set('2026-11-27T18:00:09+09:00');

    const response = await twilioPost(app, '/twilio/voice/phone-code?attempt=1', {
      ...callParams(callSid),
      Digits: '',
    }).expect(200);

    expect(response.text).toContain('<Enqueue');
    expect((await callRow(testEnv, callSid)).withinHours).toBe(true);
  });

  it('should send a Saturday call to voicemail', async () => {
    await expectVoicemail('2026-11-28T11:00:00+09:00');
  });

  it('should send a call on 2026-11-23 (勤労感謝の日, a Monday) to voicemail', async () => {
    await expectVoicemail('2026-11-23T11:00:00+09:00');
  });

  it('should send a call on the substitute holiday 2026-05-06 (振替休日) to voicemail', async () => {
    await expectVoicemail('2026-05-06T11:00:00+09:00');
  });

  it('should send a call on 2026-12-31, a closure in calendar_closures, to voicemail', async () => {
    await expectVoicemail('2026-12-31T11:00:00+09:00');
  });

  it('should pick up a closure added to the table at the next refresh', async () => {
    const open = await callAt('2026-12-30T11:00:00+09:00');
    expect(open.next).toContain('<Enqueue');

    await testEnv.dataSource.getRepository(CalendarClosure).save({
      date: '2026-12-30',
      reason: '年末休業',
      createdByUserId: null,
      createdAt: new Date(),
    });
    await app.get(CalendarClosureLoader).refresh();

    await expectVoicemail('2026-12-30T11:00:00+09:00');
  });

  it('should decide by Tokyo time, not the server zone: 00:59:59Z (09:59:59 JST) closed, 01:00:00Z open', async () => {
    await expectVoicemail('2026-11-27T00:59:59Z');
    const open = await callAt('2026-11-27T01:00:00Z');
    expect(open.incoming).toContain('<Gather');
    expect(open.next).toContain('<Enqueue');
  });

  it('should treat 08:59:59Z (17:59:59 JST) as open and 09:00:00Z (18:00 JST) as closed', async () => {
    const open = await callAt('2026-11-27T08:59:59Z');
    expect(open.next).toContain('<Enqueue');
    await expectVoicemail('2026-11-27T09:00:00Z');
  });

  it('should treat Monday 2026-11-30 01:00Z as open although it is still Sunday in UTC at 15:00Z the day before', async () => {
    await expectVoicemail('2026-11-29T15:00:00Z'); // Monday 00:00 JST, before opening
    const open = await callAt('2026-11-30T01:00:00Z');
    expect(open.next).toContain('<Enqueue');
  });
});

describe('telephony closures from CALENDAR_CLOSURES', () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  const clock = new FixedClock('2026-12-31T11:00:00+09:00');

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ CALENDAR_CLOSURES: '2026-12-29,2026-12-31' });
    app = await startTelephonyApp(testEnv, clock);
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  it('should send a call on a closure from the environment to voicemail', async () => {
    const callSid = newCallSid();
    const response = await twilioPost(app, '/twilio/voice/incoming', callParams(callSid)).expect(
      200,
    );

    expect(response.text).toContain('<Record');
    expect(response.text).not.toContain('<Enqueue');
    expect((await callRow(testEnv, callSid)).withinHours).toBe(false);
  });

  it('should keep the environment closures when the table is reloaded', async () => {
    await app.get(CalendarClosureLoader).refresh();
    clock.set('2026-12-29T11:00:00+09:00');
    const callSid = newCallSid();
    const response = await twilioPost(app, '/twilio/voice/incoming', callParams(callSid)).expect(
      200,
    );
    expect(response.text).toContain('<Record');
  });
});
