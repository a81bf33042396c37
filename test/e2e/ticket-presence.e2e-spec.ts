import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent, AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Ticket, TicketPresence } from '@madoguchi/tickets';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

interface LiveState {
  reference: string;
  version: number;
  lastMessageId: number | null;
  others: { userId: number; displayName: string; state: string }[];
}

const writingText = (name: string) => SHARED_TEXTS.common.presenceWriting.replace('{name}', name);
const viewingText = (name: string) => SHARED_TEXTS.common.presenceViewing.replace('{name}', name);

/**
 * Issue 15, presence and the live ticket page: two desk instances on one database, as behind a
 * load balancer. An agent's heartbeat on one instance is seen by a colleague on the other, on the
 * ticket page, in the queue list and in the API; it expires after 30 s; it is never an audited
 * view (a page left open does not count towards the unusual-viewing alert); and nobody learns of
 * presence on another merchant's tickets.
 */
describe(`presence on tickets across desk instances (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let otherDesk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent: User;
  let colleague: User;
  let agentSession: LoggedIn;
  let colleagueSession: LoggedIn;
  let agentBSession: LoggedIn;
  let viewerASession: LoggedIn;
  let viewerBSession: LoggedIn;

  async function newTicket(tenant: TestTenant): Promise<{ reference: string; statusPath: string }> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const body = response.body as { reference: string; statusUrl: string };
    return { reference: body.reference, statusPath: new URL(body.statusUrl).pathname };
  }

  const heartbeat = (
    app: NestFastifyApplication,
    session: LoggedIn,
    reference: string,
    state: unknown,
  ) =>
    request(app.getHttpServer())
      .post(`/api/v1/tickets/${reference}/presence`)
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken)
      .send({ state });

  const get = (app: NestFastifyApplication, session: LoggedIn, path: string) =>
    request(app.getHttpServer()).get(path).set('cookie', session.cookie);

  const presenceRows = async (reference: string) => {
    const ticket = await testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference });
    return testEnv.dataSource.getRepository(TicketPresence).findBy({ ticketId: ticket.id });
  };

  const viewsOf = (userId: number) =>
    testEnv.dataSource
      .getRepository(AuditEvent)
      .countBy({ actorId: userId, action: AUDIT_ACTIONS.ticketViewed });

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenantA = await createTestTenant(testEnv.dataSource);
    tenantB = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv);
    otherDesk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '山田 花子',
    });
    colleague = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '佐藤 次郎',
    });
    const agentB = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantB.queue.id],
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
    colleagueSession = await loginAs(otherDesk, colleague.email);
    agentBSession = await loginAs(desk, agentB.email);
    viewerASession = await loginAs(desk, viewerA.email);
    viewerBSession = await loginAs(otherDesk, viewerB.email);
  });

  afterAll(async () => {
    await intake?.close();
    await otherDesk?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should show an agent writing on one desk instance to a colleague on the other', async () => {
    const { reference } = await newTicket(tenantA);
    const beat = await heartbeat(desk, agentSession, reference, 'writing').expect(200);
    // The agent is told about others, never about themselves.
    expect((beat.body as LiveState).others).toEqual([]);

    const seen = await get(
      otherDesk,
      colleagueSession,
      `/api/v1/tickets/${reference}/presence`,
    ).expect(200);
    expect((seen.body as LiveState).others).toEqual([
      expect.objectContaining({ userId: agent.id, displayName: '山田 花子', state: 'writing' }),
    ]);

    // The colleague's ticket page (other instance) and queue list say so too.
    const page = await get(otherDesk, colleagueSession, `/tickets/${reference}`).expect(200);
    expect(page.text).toContain(writingText('山田 花子'));
    expect(page.text).toContain('id="ticket-presence"');
    const list = await get(otherDesk, colleagueSession, `/queues/${tenantA.queue.id}`).expect(200);
    expect(list.text).toContain(writingText('山田 花子'));
    const markers = await get(
      otherDesk,
      colleagueSession,
      `/api/v1/presence?reference=${reference}`,
    ).expect(200);
    expect(markers.body).toEqual([
      { reference, others: [expect.objectContaining({ userId: agent.id, state: 'writing' })] },
    ]);

    // Back to viewing: the colleague's next look says 閲覧中.
    await heartbeat(desk, agentSession, reference, 'viewing').expect(200);
    const again = await get(otherDesk, colleagueSession, `/tickets/${reference}`).expect(200);
    expect(again.text).toContain(viewingText('山田 花子'));
    expect(again.text).not.toContain(writingText('山田 花子'));
    // The colleague's own heartbeat (other instance) is seen by the agent on the first one.
    await heartbeat(otherDesk, colleagueSession, reference, 'viewing').expect(200);
    const back = await heartbeat(desk, agentSession, reference, 'viewing').expect(200);
    expect((back.body as LiveState).others.map((other) => other.displayName)).toEqual([
      '佐藤 次郎',
    ]);
    expect(await presenceRows(reference)).toHaveLength(2);
  });

  it('should never record a heartbeat or a presence read as a view of the ticket', async () => {
    const { reference } = await newTicket(tenantA);
    await get(desk, agentSession, `/tickets/${reference}`).expect(200);
    const views = await viewsOf(agent.id);
    for (let i = 0; i < 5; i += 1) {
      await heartbeat(desk, agentSession, reference, i % 2 ? 'writing' : 'viewing').expect(200);
      await get(desk, agentSession, `/api/v1/tickets/${reference}/presence`).expect(200);
    }
    expect(await viewsOf(agent.id)).toBe(views);
  });

  it('should forget a presence not refreshed for 30 seconds', async () => {
    const { reference } = await newTicket(tenantA);
    await heartbeat(desk, agentSession, reference, 'writing').expect(200);
    const ticket = await testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference });
    // The agent closed the laptop 31 s ago: their last heartbeat is that old.
    await testEnv.dataSource
      .getRepository(TicketPresence)
      .update(
        { ticketId: ticket.id, userId: agent.id },
        { lastSeenAt: new Date(Date.now() - 31_000) },
      );
    const seen = await get(
      otherDesk,
      colleagueSession,
      `/api/v1/tickets/${reference}/presence`,
    ).expect(200);
    expect((seen.body as LiveState).others).toEqual([]);
    const page = await get(otherDesk, colleagueSession, `/tickets/${reference}`).expect(200);
    expect(page.text).not.toContain(writingText('山田 花子'));
    const list = await get(
      otherDesk,
      colleagueSession,
      `/api/v1/presence?reference=${reference}`,
    ).expect(200);
    expect(list.body).toEqual([]);
    // The next heartbeat of anyone on the ticket removes the stale row.
    await heartbeat(otherDesk, colleagueSession, reference, 'viewing').expect(200);
    expect((await presenceRows(reference)).map((row) => row.userId)).toEqual([colleague.id]);
  });

  it("should not let another merchant's users or agents see or write presence", async () => {
    const { reference } = await newTicket(tenantA);
    await heartbeat(desk, agentSession, reference, 'writing').expect(200);
    const before = await presenceRows(reference);

    // An agent of B's queue only, B's merchant viewer: A's ticket does not exist for them.
    await heartbeat(desk, agentBSession, reference, 'viewing').expect(404);
    await get(desk, agentBSession, `/api/v1/tickets/${reference}/presence`).expect(404);
    await heartbeat(otherDesk, viewerBSession, reference, 'viewing').expect(404);
    await get(otherDesk, viewerBSession, `/api/v1/tickets/${reference}/presence`).expect(404);
    for (const [app, session] of [
      [desk, agentBSession],
      [otherDesk, viewerBSession],
      [desk, viewerASession],
    ] as const) {
      const listed = await get(app, session, `/api/v1/presence?reference=${reference}`).expect(200);
      expect(listed.body).toEqual([]);
    }
    // A's own merchant viewer reads the ticket but takes part in no presence.
    await heartbeat(desk, viewerASession, reference, 'viewing').expect(403);
    const portal = await get(desk, viewerASession, `/tickets/${reference}`);
    expect(portal.text).not.toContain(writingText('山田 花子'));
    expect(await presenceRows(reference)).toEqual(before);
  });

  it('should refuse an unknown state and write nothing', async () => {
    const { reference } = await newTicket(tenantA);
    const refused = await heartbeat(desk, agentSession, reference, 'lurking').expect(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await presenceRows(reference)).toEqual([]);
  });

  it("should tell an open page of the shopper's new message and serve the conversation alone", async () => {
    const { reference, statusPath } = await newTicket(tenantA);
    const page = await get(desk, agentSession, `/tickets/${reference}`).expect(200);
    const shown = Number(/data-last-message-id="(\d+)"/.exec(page.text)?.[1]);
    expect(shown).toBeGreaterThan(0);

    await request(intake.getHttpServer())
      .post(`${statusPath}/replies`)
      .type('form')
      .send({ message: '追加で確認したいことがあります。' })
      .expect(303);
    const live = (await heartbeat(otherDesk, colleagueSession, reference, 'viewing').expect(200))
      .body as LiveState;
    expect(live.lastMessageId).toBeGreaterThan(shown);

    // The conversation fragment: the new message, no page around it, an audited view.
    const views = await viewsOf(agent.id);
    const fragment = await get(
      desk,
      agentSession,
      `/tickets/${reference}?fragment=conversation`,
    ).expect(200);
    expect(fragment.headers['x-console-fragment']).toBe('rows');
    expect(fragment.text).toContain('追加で確認したいことがあります。');
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).not.toContain('f-reply-body');
    expect(await viewsOf(agent.id)).toBe(views + 1);
  });
});
