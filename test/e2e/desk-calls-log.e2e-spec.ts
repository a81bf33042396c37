import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { CallStats } from '@madoguchi/calls';
import { Call, scopedCallQuery } from '@madoguchi/calls';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { insertTestCall } from '../support/test-call';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** A known data set on 2026-12-01 and 12-02 (Tokyo), to check the log filters and statistics. */
describe(`desk call log and statistics (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agentSession: LoggedIn;
  let supervisorSession: LoggedIn;
  let viewerASession: LoggedIn;
  let sequence = 0;

  const http = () => request(desk.getHttpServer());
  const get = (path: string, session: LoggedIn) => http().get(path).set('cookie', session.cookie);

  function insertCall(at: string, fields: Partial<Call>): Promise<Call> {
    sequence += 1;
    return insertTestCall(testEnv.dataSource, {
      callSid: `CALOG${String(sequence).padStart(29, '0')}`,
      startedAt: new Date(at),
      ...fields,
    });
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'A商店 <b>' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'B商店' });
    desk = await startDeskApp(testEnv);
    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
    });
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    const viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    agentSession = await loginAs(desk, agent.email);
    supervisorSession = await loginAs(desk, supervisor.email);
    viewerASession = await loginAs(desk, viewerA.email);
    const A = tenantA.merchant.id;
    const B = tenantB.merchant.id;
    // 10:xx Tokyo = 01:xx UTC. Answered waits: 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 (A and B).
    const waits = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    for (const [i, wait] of waits.entries()) {
      await insertCall(`2026-12-01T10:${String(i).padStart(2, '0')}:00+09:00`, {
        outcome: 'answered',
        waitSeconds: wait,
        talkSeconds: 60,
        merchantId: i < 6 ? A : B,
      });
    }
    await insertCall('2026-12-01T17:59:00+09:00', {
      outcome: 'abandoned',
      waitSeconds: 200,
      merchantId: A,
    });
    await insertCall('2026-12-01T17:30:00+09:00', { outcome: 'abandoned', waitSeconds: 20 });
    await insertCall('2026-12-01T23:30:00+09:00', {
      outcome: 'voicemail',
      withinHours: false,
      merchantId: A,
    });
    // 2026-12-02 00:30 Tokyo is still 2026-12-01 in UTC: it belongs to the 2nd, hour 0.
    await insertCall('2026-12-02T00:30:00+09:00', {
      outcome: 'out_of_hours',
      withinHours: false,
      merchantId: B,
    });
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should compute answer rate, average and p90 wait and Tokyo hour buckets on a known data set', async () => {
    const response = await get(
      '/api/v1/calls/stats?from=2026-12-01&to=2026-12-01',
      supervisorSession,
    ).expect(200);
    const stats = response.body as CallStats;
    expect(stats.total).toBe(13);
    expect(stats.answered).toBe(10);
    expect(stats.abandoned).toBe(2);
    expect(stats.answerRate).toBeCloseTo(10 / 12, 6);
    expect(stats.averageWaitSeconds).toBe(55);
    expect(stats.p90WaitSeconds).toBe(90);
    expect(stats.callsPerHour[10]).toBe(10);
    expect(stats.callsPerHour[17]).toBe(2);
    expect(stats.callsPerHour[23]).toBe(1);
    expect(stats.callsPerHour[1]).toBe(0);
    expect(stats.byOutcome.voicemail).toBe(1);
    const nextDay = (
      await get('/api/v1/calls/stats?from=2026-12-02&to=2026-12-02', supervisorSession).expect(200)
    ).body as CallStats;
    expect(nextDay.total).toBe(1);
    expect(nextDay.callsPerHour[0]).toBe(1);
    const merchantA = (
      await get(
        `/api/v1/calls/stats?from=2026-12-01&to=2026-12-02&merchantId=${tenantA.merchant.id}`,
        supervisorSession,
      ).expect(200)
    ).body as CallStats;
    expect(merchantA.answered).toBe(6);
    expect(merchantA.p90WaitSeconds).toBe(60);
  });

  it('should refuse a range longer than 92 days and malformed dates (400)', async () => {
    await get('/api/v1/calls/stats?from=2026-01-01&to=2026-12-31', supervisorSession).expect(400);
    await get('/api/v1/calls/stats?from=2026-13-01', supervisorSession).expect(400);
    await get('/api/v1/calls?from=2026-12-02&to=2026-12-01', supervisorSession).expect(400);
  });

  it('should keep statistics for supervisors: agents and merchant users get 403', async () => {
    await get('/api/v1/calls/stats', agentSession).expect(403);
    await get('/calls/stats', agentSession).expect(403);
    await get('/api/v1/calls/stats', viewerASession).expect(403);
  });

  it('should render the statistics page with an accessible SVG chart and a data table', async () => {
    const page = await get('/calls/stats?from=2026-12-01&to=2026-12-01', supervisorSession).expect(
      200,
    );
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('<title id="chart-title">');
    expect(page.text).toContain('<desc id="chart-desc">');
    expect(page.text).toContain('id="per-hour-table"');
    expect(page.text).toContain('83.3%');
    expect(page.text).not.toContain('A商店 <b>');
  });

  it('should filter the call log by date (Tokyo), outcome and merchant', async () => {
    const day = (
      await get('/api/v1/calls?from=2026-12-02&to=2026-12-02', supervisorSession).expect(200)
    ).body as { total: number };
    expect(day.total).toBe(1);
    const abandoned = (await get('/api/v1/calls?outcome=abandoned', supervisorSession).expect(200))
      .body as { total: number };
    expect(abandoned.total).toBe(2);
    const merchantB = (
      await get(`/api/v1/calls?merchantId=${tenantB.merchant.id}`, supervisorSession).expect(200)
    ).body as { total: number };
    expect(merchantB.total).toBe(5);
    await get('/api/v1/calls?outcome=nope', supervisorSession).expect(400);
  });

  it("should show a merchant user only its merchant's calls, whatever merchantId it asks for", async () => {
    const own = (await get('/api/v1/calls?pageSize=100', viewerASession).expect(200)).body as {
      total: number;
      items: { merchantId: number }[];
    };
    expect(own.total).toBe(8);
    expect(own.items.every((item) => item.merchantId === tenantA.merchant.id)).toBe(true);
    const other = (
      await get(`/api/v1/calls?merchantId=${tenantB.merchant.id}`, viewerASession).expect(200)
    ).body as { total: number };
    expect(other.total).toBe(0);
  });

  it('should keep the call scope even when a caller replaces the where clause', async () => {
    const scope = { kind: 'merchant' as const, userId: 0, merchantId: tenantA.merchant.id };
    const calls = await scopedCallQuery(testEnv.dataSource.manager, scope).where('1 = 1').getMany();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.merchantId === tenantA.merchant.id)).toBe(true);
  });

  it("should show an agent its queues' merchants and untagged calls in the log page, escaped", async () => {
    const api = (await get('/api/v1/calls?pageSize=100', agentSession).expect(200)).body as {
      total: number;
    };
    expect(api.total).toBe(9);
    const page = await get('/calls/log?outcome=abandoned', agentSession).expect(200);
    expect(page.text).toContain('通話記録');
    expect(page.text).toContain('A商店 &lt;b&gt;');
    expect(page.text).not.toContain('A商店 <b>');
    const bad = await get('/calls/log?from=2026-02-30', agentSession).expect(400);
    expect(bad.text).toContain('YYYY-MM-DD');
  });

  it('should answer 503 TELEPHONY_NOT_CONFIGURED for a Voice token without Twilio settings', async () => {
    const response = await http()
      .post('/api/v1/calls/voice-token')
      .set('cookie', agentSession.cookie)
      .set('x-csrf-token', agentSession.csrfToken)
      .expect(503);
    expect((response.body as { code: string }).code).toBe('TELEPHONY_NOT_CONFIGURED');
    const page = await get('/calls', agentSession).expect(200);
    expect(page.text).toContain('data-voice-ready="no"');
  });
});
