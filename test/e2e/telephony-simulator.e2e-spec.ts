import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Call } from '@madoguchi/calls';
import { FixedClock } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { simulateCall } from '../../scripts/call-simulator';
import { createTestUser } from '../support/desk-test-app';
import {
  callRow,
  startTelephonyApp,
  TEST_TELEPHONY_PUBLIC_URL,
  TEST_TWILIO_AUTH_TOKEN,
} from '../support/telephony-test-app';
import { createTestEnvironment, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

describe('call simulator against a listening telephony app', () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  let url: string;
  // The app's own clock stands on a Sunday: only the simulator's header makes a call in hours.
  const clock = new FixedClock('2026-11-29T12:00:00+09:00');

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    app = await startTelephonyApp(testEnv, clock);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  const signing = { publicUrl: TEST_TELEPHONY_PUBLIC_URL, authToken: TEST_TWILIO_AUTH_TOKEN };

  it('should log an answered call, tagged by its phone code and bridged to the agent', async () => {
    const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
    const result = await simulateCall({
      ...signing,
      url,
      scenario: 'answered',
      at: new Date('2026-12-01T17:59:30+09:00'),
      code: tenant.site.phoneCode as string,
      agentId: agent.id,
      from: '+819011112222',
    });

    expect(result.steps.every((step) => step.status === 200)).toBe(true);
    const row = await callRow(testEnv, result.callSid);
    expect(row).toMatchObject({
      outcome: 'answered',
      status: 'completed',
      withinHours: true,
      merchantId: tenant.merchant.id,
      agentId: agent.id,
      waitSeconds: 32,
      // Answered at enqueued (8 s in) + QueueTime 32 s = 40 s in; ended 225 s in.
      talkSeconds: 185,
      callerIdWithheld: false,
    });
    expect(row.startedAt?.toISOString()).toBe('2026-12-01T08:59:30.000Z');
  });

  it('should log a voicemail with its recording out of hours', async () => {
    const result = await simulateCall({
      ...signing,
      url,
      scenario: 'voicemail',
      at: new Date('2026-12-01T18:00:00+09:00'),
      from: 'anonymous',
    });

    const row = await callRow(testEnv, result.callSid);
    expect(row).toMatchObject({
      outcome: 'voicemail',
      status: 'completed',
      withinHours: false,
      callerIdWithheld: true,
      fromNumber: null,
      recordingSeconds: 24,
    });
    expect(app.get(FieldCipher).decrypt(row.recordingSid as string)).toMatch(/^RE[0-9a-f]{32}$/);
    expect(row.enqueuedAt).toBeNull();
  });

  it('should log an abandoned call and an out-of-hours call without a message', async () => {
    const abandoned = await simulateCall({
      ...signing,
      url,
      scenario: 'abandoned',
      at: new Date('2026-12-02T10:00:00+09:00'),
    });
    const outOfHours = await simulateCall({
      ...signing,
      url,
      scenario: 'out-of-hours',
      at: new Date('2026-12-05T11:00:00+09:00'),
    });

    expect((await callRow(testEnv, abandoned.callSid)).outcome).toBe('abandoned');
    expect((await callRow(testEnv, outOfHours.callSid)).outcome).toBe('out_of_hours');
    expect(await testEnv.dataSource.getRepository(Call).count()).toBe(4);
  });

  it('should refuse to play an answered call at a time the app says is out of hours', async () => {
    await expect(
      simulateCall({
        ...signing,
        url,
        scenario: 'answered',
        at: new Date('2026-11-23T11:00:00+09:00'),
      }),
    ).rejects.toThrow(/out of hours/);
  });

  it('should be refused with 403 when it signs with another token', async () => {
    await expect(
      simulateCall({
        ...signing,
        authToken: 'wrong',
        url,
        scenario: 'abandoned',
        at: new Date('2026-12-02T10:00:00+09:00'),
      }),
    ).rejects.toThrow(/403/);
  });
});

describe('simulated time in an app that does not allow it', () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ TELEPHONY_ALLOW_SIMULATED_TIME: 'false' });
    // Sunday by the app's clock; the simulator's header must not move it to Tuesday.
    app = await startTelephonyApp(testEnv, new FixedClock('2026-11-29T12:00:00+09:00'));
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  it('should ignore the simulated-time header and decide by the injected clock', async () => {
    await expect(
      simulateCall({
        publicUrl: TEST_TELEPHONY_PUBLIC_URL,
        authToken: TEST_TWILIO_AUTH_TOKEN,
        url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
        scenario: 'answered',
        at: new Date('2026-12-01T11:00:00+09:00'),
      }),
    ).rejects.toThrow(/out of hours/);
  });
});
