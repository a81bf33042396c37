import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { runTransaction } from '@madoguchi/common';
import { InboundMailService } from '@madoguchi/inbound-mail';
import { ReplyAddressService, Ticket } from '@madoguchi/tickets';
import { TicketChangeFeed } from '../../apps/desk/src/live/ticket-change-feed.service';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { type EventStream, openStream, type ServerSentEvent } from '../support/event-stream';
import { composeMail } from '../support/inbound-mail-fixtures';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const POLL_MS = 100;

const queueIdsOf = (event: ServerSentEvent): number[] =>
  (JSON.parse(event.data) as { queueIds: number[] }).queueIds;
const isChangeOf = (queueId: number) => (event: ServerSentEvent) =>
  event.event === 'tickets-changed' && queueIdsOf(event).includes(queueId);

describe(`desk live updates over SSE (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let otherDesk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let port: number;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agentSession: LoggedIn;
  let otherDeskAgentSession: LoggedIn;
  let viewerASession: LoggedIn;
  let viewerBSession: LoggedIn;
  const streams: EventStream[] = [];

  async function stream(session?: LoggedIn): Promise<EventStream> {
    const opened = await openStream(port, session?.cookie);
    streams.push(opened);
    return opened;
  }

  async function newTicket(tenant: TestTenant): Promise<string> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    return (response.body as { reference: string }).reference;
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      LIVE_POLL_INTERVAL_MS: String(POLL_MS),
    });
    tenantA = await createTestTenant(testEnv.dataSource);
    tenantB = await createTestTenant(testEnv.dataSource);
    // Two desk instances and the intake on one database, as in production behind a load balancer.
    desk = await startDeskApp(testEnv);
    await desk.listen(0, '127.0.0.1');
    port = (desk.getHttpServer().address() as AddressInfo).port;
    otherDesk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
    });
    const viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    const viewerB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantB.merchant.id,
    });
    agentSession = await loginAs(desk, agent.email);
    otherDeskAgentSession = await loginAs(otherDesk, agent.email);
    viewerASession = await loginAs(desk, viewerA.email);
    viewerBSession = await loginAs(desk, viewerB.email);
  });

  afterAll(async () => {
    for (const open of streams) open.close();
    await intake?.close();
    await otherDesk?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should answer 401 without a session and open no stream', async () => {
    const refused = await stream();
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toContain('application/json');
  });

  it('should open an event stream with a reconnect delay', async () => {
    const live = await stream(agentSession);
    expect(live.status).toBe(200);
    expect(live.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(live.headers['cache-control']).toBe('no-store');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(live.retry).toBeGreaterThan(0);
    expect(live.comments).toContain('connected');
    live.close();
  });

  it('should tell an agent when the intake creates a ticket in their queue', async () => {
    const live = await stream(agentSession);
    await newTicket(tenantA);
    const event = await live.waitFor(isChangeOf(tenantA.queue.id));
    expect(JSON.parse(event.data)).toEqual({ queueIds: [tenantA.queue.id] });
    // Re-reading the window (MySQL rounds to the second) does not repeat the change.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(live.events).toHaveLength(1);
    live.close();
  });

  it('should tell subscribers of one desk instance about a change made through another', async () => {
    const live = await stream(agentSession);
    const reference = await newTicket(tenantA);
    // Let the creation's event pass and check the stream is quiet, so the event awaited below
    // can only come from the note.
    await live.waitFor(isChangeOf(tenantA.queue.id));
    const quietUntil = live.events.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(live.events.length).toBe(quietUntil);
    await request(otherDesk.getHttpServer())
      .post(`/api/v1/tickets/${reference}/notes`)
      .set('cookie', otherDeskAgentSession.cookie)
      .set('x-csrf-token', otherDeskAgentSession.csrfToken)
      .send({ body: '別インスタンスからのメモ' })
      .expect(201);
    await live.waitFor(
      (event) => live.events.indexOf(event) >= quietUntil && isChangeOf(tenantA.queue.id)(event),
    );
    live.close();
  });

  it("should show a shopper's mail reply live to the agent and to the merchant's portal", async () => {
    const agentLive = await stream(agentSession);
    const portalLive = await stream(viewerASession);
    const reference = await newTicket(tenantA);
    const ticket = await testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference });
    // Let the creation's event pass on both streams and check they are quiet, so the events
    // awaited below can only come from the mail.
    await agentLive.waitFor(isChangeOf(tenantA.queue.id));
    await portalLive.waitFor(isChangeOf(tenantA.queue.id));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    const quietUntil = agentLive.events.length;
    const portalQuietUntil = portalLive.events.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(agentLive.events.length).toBe(quietUntil);
    const to = await runTransaction(intake.get(DataSource), (manager) =>
      intake.get(ReplyAddressService).addressFor(manager, ticket, 'requester'),
    );
    const outcome = await intake.get(InboundMailService).ingest(
      await composeMail({
        from: VALID_INQUIRY.email,
        to,
        subject: 'Re',
        text: 'メールで追加のご連絡です。',
      }),
      { transport: 'smtp', envelopeTo: [to], remoteIp: '127.0.0.1' },
    );
    expect(outcome).toMatchObject({ kind: 'reply', reference });
    await agentLive.waitFor(
      (event) =>
        agentLive.events.indexOf(event) >= quietUntil && isChangeOf(tenantA.queue.id)(event),
    );
    await portalLive.waitFor(
      (event) =>
        portalLive.events.indexOf(event) >= portalQuietUntil && isChangeOf(tenantA.queue.id)(event),
    );
    agentLive.close();
    portalLive.close();
  });

  it("should never tell a merchant user about another merchant's ticket", async () => {
    const merchantB = await stream(viewerBSession);
    const merchantA = await stream(viewerASession);
    await newTicket(tenantA);
    // Positive control: the change was seen by a poll round, which polls every scope together.
    await merchantA.waitFor(isChangeOf(tenantA.queue.id));
    // And merchant B's own stream works: its own ticket arrives.
    await newTicket(tenantB);
    await merchantB.waitFor(isChangeOf(tenantB.queue.id));
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(merchantB.events.length).toBeGreaterThan(0);
    for (const event of merchantB.events) expect(queueIdsOf(event)).toEqual([tenantB.queue.id]);
    for (const event of merchantA.events) expect(queueIdsOf(event)).not.toContain(tenantB.queue.id);
    // The payload names queues only: no reference, no personal data.
    expect(JSON.stringify(merchantB.events)).not.toMatch(/reference|@|山田/);
    merchantA.close();
    merchantB.close();
  });

  it('should stop polling when the last subscriber leaves', async () => {
    const feed = desk.get(TicketChangeFeed);
    const live = await stream(agentSession);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(feed.subscriberCount).toBeGreaterThan(0);
    for (const open of streams) open.close();
    await live.ended;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(feed.subscriberCount).toBe(0);
  });

  it('should end open streams when a desk instance shuts down', async () => {
    const closing = await startDeskApp(testEnv);
    await closing.listen(0, '127.0.0.1');
    const closingPort = (closing.getHttpServer().address() as AddressInfo).port;
    const session = await loginAs(
      closing,
      (await createTestUser(testEnv.dataSource, { role: 'admin' })).email,
    );
    const live = await openStream(closingPort, session.cookie);
    streams.push(live);
    expect(live.status).toBe(200);
    await closing.close();
    await expect(live.ended).resolves.toBeUndefined();
  });
});
