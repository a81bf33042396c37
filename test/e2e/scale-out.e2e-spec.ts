import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { In } from 'typeorm';
import { FixedClock } from '@madoguchi/common';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { type EventStream, openStream, type ServerSentEvent } from '../support/event-stream';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import {
  callParams,
  callRow,
  newCallSid,
  startTelephonyApp,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { waitUntil } from '../support/wait-until';

const RATE_LIMIT = 5;
const POLL_MS = 100;

/**
 * Two instances of each app on one database, as behind a load balancer (docs/operations.md).
 * MariaDB only: SQLite is one file for processes on one host, and in one test process its
 * synchronous driver cannot wait for a lock held by another connection of the same process.
 */
const describeOnMysql = TEST_DB === 'mysql' ? describe : describe.skip;

const title =
  TEST_DB === 'mysql'
    ? 'scale-out: two instances of each app on one MariaDB database'
    : 'scale-out: skipped on SQLite (MariaDB only; npm run test:mysql runs it)';

describeOnMysql(title, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  const desks: NestFastifyApplication[] = [];
  const intakes: NestFastifyApplication[] = [];
  const telephonies: NestFastifyApplication[] = [];
  const streams: EventStream[] = [];
  let clientIp = 0;

  /** Each submission from its own client address (behind the load balancer), unless given. */
  async function submit(
    intake: NestFastifyApplication,
    ip = `10.7.${Math.floor(++clientIp / 250)}.${(clientIp % 250) + 1}`,
    email: string = VALID_INQUIRY.email,
  ): Promise<request.Response> {
    return request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .set('x-forwarded-for', ip)
      .send({ ...VALID_INQUIRY, email });
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      TRUST_PROXY: 'true',
      INTAKE_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      LIVE_POLL_INTERVAL_MS: String(POLL_MS),
    });
    tenant = await createTestTenant(testEnv.dataSource);
    const clock = new FixedClock('2026-11-26T11:00:00+09:00');
    for (let i = 0; i < 2; i++) {
      // Both desks run the outbox worker against the one SMTP server.
      desks.push(
        await startDeskApp(testEnv, {
          OUTBOX_WORKER: 'on',
          SMTP_URL: smtp.url,
          OUTBOX_POLL_INTERVAL_MS: '50',
        }),
      );
      intakes.push(await startIntakeApp(testEnv));
      telephonies.push(await startTelephonyApp(testEnv, clock));
    }
    await desks[1].listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const app of [...desks, ...intakes, ...telephonies]) await app.close();
    await testEnv?.cleanup();
    await smtp?.stop();
  });

  it('should keep claims exclusive when agents take tickets through both desks at once', async () => {
    const references: string[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await submit(intakes[i % 2]);
      expect(response.status).toBe(201);
      references.push((response.body as { reference: string }).reference);
    }
    const agents = await Promise.all(
      [0, 1].map(() =>
        createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [tenant.queue.id] }),
      ),
    );
    // Each agent is logged in on both desks: four claimants racing over two processes' pools.
    const claimants: { agentId: number; desk: NestFastifyApplication; session: LoggedIn }[] = [];
    for (const agent of agents) {
      for (const desk of desks) {
        claimants.push({ agentId: agent.id, desk, session: await loginAs(desk, agent.email) });
      }
    }
    const claimed: { reference: string; agentId: number }[] = [];
    await Promise.all(
      claimants.map(async ({ agentId, desk, session }) => {
        for (;;) {
          const response = await request(desk.getHttpServer())
            .post(`/api/v1/queues/${tenant.queue.id}/take-next`)
            .set('cookie', session.cookie)
            .set('x-csrf-token', session.csrfToken);
          if (response.status === 204) return;
          expect(response.status).toBe(200);
          claimed.push({ reference: (response.body as { reference: string }).reference, agentId });
        }
      }),
    );
    const claimedReferences = claimed.map((claim) => claim.reference);
    expect(new Set(claimedReferences).size).toBe(claimedReferences.length);
    expect([...claimedReferences].sort()).toEqual([...references].sort());
    // Each ticket is assigned to the one agent whose claim answered 200, and was changed once.
    const tickets = await testEnv.dataSource
      .getRepository(Ticket)
      .findBy({ reference: In(references) });
    for (const ticket of tickets) {
      expect(ticket.assigneeId).toBe(
        claimed.find((claim) => claim.reference === ticket.reference)?.agentId,
      );
      expect(ticket.version).toBe(2);
    }
  });

  it('should send each outbox mail exactly once with both desks running the worker', async () => {
    const emails = Array.from({ length: 10 }, (_, i) => `scale-${i}@example.jp`);
    for (const [i, email] of emails.entries()) {
      expect((await submit(intakes[i % 2], undefined, email)).status).toBe(201);
    }
    // Besides the two timers, both workers drain side by side right now.
    await Promise.all(desks.map((desk) => desk.get(OutboxWorker).drainOnce()));
    const outbox = testEnv.dataSource.getRepository(OutboxJob);
    await waitUntil(async () => (await outbox.countBy({ status: 'pending' })) === 0);
    expect(await outbox.countBy({ status: 'pending' })).toBe(0);
    const sent = await outbox.countBy({ status: 'sent' });
    expect(sent).toBeGreaterThanOrEqual(emails.length);
    // Every job, this test's and the claims test's confirmations, arrived once: no more, no less.
    expect(smtp.messages).toHaveLength(sent);
    for (const email of emails) {
      expect(smtp.messages.filter((mail) => mail.envelopeTo.includes(email))).toHaveLength(1);
    }
  });

  it('should bring a change made through desk 1 or the intake to an agent on desk 2', async () => {
    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    const onDesk2 = await loginAs(desks[1], agent.email);
    const onDesk1 = await loginAs(desks[0], agent.email);
    const port = (desks[1].getHttpServer().address() as AddressInfo).port;
    const live = await openStream(port, onDesk2.cookie);
    streams.push(live);
    expect(live.status).toBe(200);
    const isChange = (from: number) => (event: ServerSentEvent) =>
      live.events.indexOf(event) >= from &&
      event.event === 'tickets-changed' &&
      (JSON.parse(event.data) as { queueIds: number[] }).queueIds.includes(tenant.queue.id);

    const created = await submit(intakes[1]);
    expect(created.status).toBe(201);
    await live.waitFor(isChange(0));
    // Quiet again before the note, so the event awaited next can only come from it.
    const quietFrom = live.events.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(live.events).toHaveLength(quietFrom);
    await request(desks[0].getHttpServer())
      .post(`/api/v1/tickets/${(created.body as { reference: string }).reference}/notes`)
      .set('cookie', onDesk1.cookie)
      .set('x-csrf-token', onDesk1.csrfToken)
      .send({ body: 'デスク1からのメモ' })
      .expect(201);
    await live.waitFor(isChange(quietFrom));
  });

  it('should hold the per-IP rate limit across both intake instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT * 2; i++) {
      statuses.push((await submit(intakes[i % 2], '203.0.113.77')).status);
    }
    // One instance alone would have let RATE_LIMIT through on each: 2 × RATE_LIMIT.
    expect(statuses).toEqual([
      ...Array<number>(RATE_LIMIT).fill(201),
      ...Array<number>(RATE_LIMIT).fill(429),
    ]);
    const limited = await submit(intakes[0], '203.0.113.77');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit']).toBe(String(RATE_LIMIT));
    // Another client is not affected.
    expect((await submit(intakes[1], '203.0.113.78')).status).toBe(201);
  });

  it('should accept a session made on desk 1 on desk 2, and end it on both at logout', async () => {
    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    const session = await loginAs(desks[0], agent.email);
    const me = await request(desks[1].getHttpServer())
      .get('/api/v1/auth/me')
      .set('cookie', session.cookie)
      .expect(200);
    expect(me.body).toMatchObject({ user: { email: agent.email } });
    await request(desks[1].getHttpServer())
      .get('/api/v1/tickets')
      .set('cookie', session.cookie)
      .expect(200);
    await request(desks[1].getHttpServer())
      .post('/api/v1/auth/logout')
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken)
      .expect(204);
    await request(desks[0].getHttpServer())
      .get('/api/v1/tickets')
      .set('cookie', session.cookie)
      .expect(401);
  });

  it("should keep one call row when a call's callbacks are split over both telephony instances", async () => {
    const callSid = newCallSid();
    const post = (instance: number, path: string, extra: Record<string, string>) =>
      twilioPost(telephonies[instance], path, { ...callParams(callSid), ...extra });
    // Twilio retries: the same incoming request reaches both instances at once.
    await Promise.all([
      post(0, '/twilio/voice/incoming', {}).expect(200),
      post(1, '/twilio/voice/incoming', {}).expect(200),
    ]);
    await Promise.all([
      post(1, '/twilio/voice/status', { CallStatus: 'in-progress', SequenceNumber: '1' }).expect(
        200,
      ),
      post(0, '/twilio/voice/queue-result', { QueueResult: 'bridged', QueueTime: '12' }).expect(
        200,
      ),
    ]);
    await post(1, '/twilio/voice/status', {
      CallStatus: 'completed',
      SequenceNumber: '2',
      CallDuration: '60',
    }).expect(200);
    const row = await callRow(testEnv, callSid);
    expect(row).toMatchObject({ status: 'completed', waitSeconds: 12 });
    expect(row.endedAt).not.toBeNull();
  });
});
