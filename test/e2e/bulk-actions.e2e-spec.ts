import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { OutboxJob } from '@madoguchi/mail';
import {
  BULK_ACTION_MAX_TICKETS,
  BulkRun,
  BulkRunItem,
  CannedResponse,
  Message,
  Ticket,
} from '@madoguchi/tickets';
import { BULK_TEXTS } from '../../apps/desk/src/console/bulk/bulk.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 15: bulk actions from the ticket lists. A preview stores the run with each ticket's
 * version; running it goes ticket by ticket through the single-ticket path, skipping (with the
 * reason) a ticket changed since the preview; a canned reply reaches each ticket once even when
 * the confirmation is posted twice; more than 500 tickets and another merchant's tickets are
 * refused before anything is stored.
 */
describe(`bulk actions (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let other: TestTenant;
  let agent: User;
  let session: LoggedIn;

  const server = () => desk.getHttpServer();
  const ds = () => testEnv.dataSource;

  const submitInquiry = async (on: TestTenant = tenant): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${on.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    return (response.body as { reference: string }).reference;
  };

  /** A form post with repeated fields (`ref=A&ref=B`), as the browser sends it. */
  const postForm = (path: string, fields: Array<[string, string]>, as: LoggedIn = session) => {
    const body = new URLSearchParams([['_csrf', as.csrfToken], ...fields]).toString();
    return request(server())
      .post(path)
      .set('Cookie', as.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send(body);
  };

  const get = (path: string, as: LoggedIn = session) =>
    request(server()).get(path).set('Cookie', as.cookie).set('Accept', 'text/html');

  const api = (method: 'get' | 'post' | 'patch', path: string, body?: object) => {
    const http = request(server());
    const req = http[method](path)
      .set('Cookie', session.cookie)
      .set('Accept', 'application/json')
      .set('x-csrf-token', session.csrfToken);
    return body ? req.send(body) : req;
  };

  const ticketOf = (reference: string) => ds().manager.findOneByOrFail(Ticket, { reference });

  /** The outcome per reference on a result page (data-* of each row). */
  const outcomes = (html: string): Record<string, { outcome: string; reason: string }> =>
    Object.fromEntries(
      [
        ...html.matchAll(
          /data-reference="([^"]+)"\s+data-outcome="([^"]+)"\s+data-reason="([^"]*)"/g,
        ),
      ].map((m) => [m[1], { outcome: m[2], reason: m[3] }]),
    );

  const detailOf = (row: AuditEvent): Record<string, unknown> =>
    (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<
      string,
      unknown
    >;

  const runIdOf = (location: string): number =>
    Number(/^\/bulk-actions\/(\d+)$/.exec(location)?.[1]);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    other = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '佐藤 一郎',
    });
    session = await loginAs(desk, agent.email);
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should resolve the selected tickets and skip the one changed since the preview, with the reason', async () => {
    const refs = [await submitInquiry(), await submitInquiry(), await submitInquiry()];
    const preview = await postForm('/bulk-actions', [
      ['returnTo', `/queues/${tenant.queue.id}`],
      ['selection', 'selected'],
      ...refs.map((ref): [string, string] => ['ref', ref]),
      ['action', 'status'],
      ['status', 'resolved'],
    ]).expect(303);
    const runId = runIdOf(preview.headers.location as string);
    expect(runId).toBeGreaterThan(0);
    // The preview changes nothing and says how many.
    const page = await get(`/bulk-actions/${runId}`).expect(200);
    expect(page.text).toContain('data-bulk-count="3"');
    for (const ref of refs) expect((await ticketOf(ref)).status).toBe('new');

    // Someone else changes the middle ticket after the preview.
    const middle = await ticketOf(refs[1]);
    await api('post', `/api/v1/tickets/${refs[1]}/notes`, {
      body: '別の担当者のメモ',
      version: middle.version,
    }).expect(201);

    const ran = await postForm(`/bulk-actions/${runId}/run`, []).expect(303);
    expect(ran.headers.location).toBe(`/bulk-actions/${runId}`);
    const result = await get(`/bulk-actions/${runId}`).expect(200);
    expect(outcomes(result.text)).toEqual({
      [refs[0]]: { outcome: 'done', reason: '' },
      [refs[1]]: { outcome: 'skipped', reason: 'changed' },
      [refs[2]]: { outcome: 'done', reason: '' },
    });
    expect(result.text).toContain(BULK_TEXTS.skipReasons.changed);
    expect((await ticketOf(refs[0])).status).toBe('resolved');
    expect((await ticketOf(refs[1])).status).not.toBe('resolved');
    expect((await ticketOf(refs[2])).status).toBe('resolved');

    // Audited per run and per ticket.
    const audit = (action: string) =>
      ds().manager.find(AuditEvent, { where: { action }, order: { id: 'ASC' } });
    const ofRun = (rows: AuditEvent[]) => rows.filter((row) => row.targetId === String(runId));
    expect(ofRun(await audit(AUDIT_ACTIONS.bulkActionPreviewed))).toHaveLength(1);
    expect(ofRun(await audit(AUDIT_ACTIONS.bulkActionStarted))).toHaveLength(1);
    const completed = ofRun(await audit(AUDIT_ACTIONS.bulkActionCompleted));
    expect(completed).toHaveLength(1);
    expect(detailOf(completed[0])).toMatchObject({ done: 2, skipped: 1 });
    const perTicket = (await audit(AUDIT_ACTIONS.bulkActionTicket)).filter(
      (row) => detailOf(row).bulkRunId === runId,
    );
    expect(perTicket.map((row) => [row.targetId, detailOf(row).outcome])).toEqual([
      [refs[0], 'done'],
      [refs[1], 'skipped'],
      [refs[2], 'done'],
    ]);
    const statusChanges = await audit(AUDIT_ACTIONS.ticketStatusChanged);
    expect(
      statusChanges.filter((row) => refs.includes(row.targetId ?? '')).map((r) => r.targetId),
    ).toEqual([refs[0], refs[2]]);
    // A reload is a GET of the stored run: nothing runs again.
    await get(`/bulk-actions/${runId}`).expect(200);
    expect(ofRun(await audit(AUDIT_ACTIONS.bulkActionStarted))).toHaveLength(1);
  });

  it('should send a canned reply once per ticket when the confirmation is posted twice', async () => {
    const refs = [await submitInquiry(), await submitInquiry(), await submitInquiry()];
    const now = new Date();
    const canned = await ds().manager.save(
      ds().manager.create(CannedResponse, {
        merchantId: tenant.merchant.id,
        title: '調査中のご案内',
        body: '{{name}}様\nお問い合わせ（{{reference}}）について、現在調査しております。',
        createdAt: now,
        updatedAt: now,
      }),
    );
    const preview = await postForm('/bulk-actions', [
      ['returnTo', `/queues/${tenant.queue.id}`],
      ['selection', 'selected'],
      ...refs.map((ref): [string, string] => ['ref', ref]),
      ['action', 'canned_reply'],
      ['cannedResponseId', String(canned.id)],
      ['nextStatus', 'resolved'],
    ]).expect(303);
    const runId = runIdOf(preview.headers.location as string);
    const mailsOf = async (ref: string) =>
      ds().manager.count(OutboxJob, { where: { ticketId: (await ticketOf(ref)).id } });
    const mailsBefore = await Promise.all(refs.map(mailsOf));
    // Double submit: two confirmations at once, then a third after the run.
    const [first, second] = await Promise.all([
      postForm(`/bulk-actions/${runId}/run`, []),
      postForm(`/bulk-actions/${runId}/run`, []),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    await postForm(`/bulk-actions/${runId}/run`, []).expect(303);
    for (const [index, ref] of refs.entries()) {
      const ticket = await ticketOf(ref);
      const replies = await ds().manager.find(Message, {
        where: { ticketId: ticket.id, kind: 'reply' },
      });
      expect({ ref, replies: replies.length, status: ticket.status }).toEqual({
        ref,
        replies: 1,
        status: 'resolved',
      });
      // The reply's mail went through the outbox, once.
      expect((await mailsOf(ref)) - mailsBefore[index]).toBe(1);
    }
    const items = await ds().manager.find(BulkRunItem, { where: { bulkRunId: runId } });
    expect(items.map((item) => item.state)).toEqual(['done', 'done', 'done']);
    expect(items.every((item) => item.messageId !== null)).toBe(true);
    const run = await ds().manager.findOneByOrFail(BulkRun, { id: runId });
    expect({ state: run.state, done: run.doneCount, skipped: run.skippedCount }).toEqual({
      state: 'completed',
      done: 3,
      skipped: 0,
    });
  });

  it('should refuse more than 500 tickets with the reason, and store nothing', async () => {
    const before = await ds().manager.count(BulkRun);
    const refs = Array.from({ length: BULK_ACTION_MAX_TICKETS + 1 }, (_, i) => `X${i}`);
    const refused = await postForm('/bulk-actions', [
      ['returnTo', '/'],
      ['selection', 'selected'],
      ...refs.map((ref): [string, string] => ['ref', ref]),
      ['action', 'priority'],
      ['priority', 'high'],
    ]).expect(400);
    expect(refused.text).toContain(`${BULK_ACTION_MAX_TICKETS}件まで`);
    expect(refused.text).toContain('501件');

    // "All matching this filter" beyond 500: counted, refused with the count.
    const [model] = await ds().manager.find(Ticket, {
      where: { merchantId: tenant.merchant.id },
      take: 1,
    });
    const { id: _id, ...fields } = model;
    const copies = Array.from({ length: BULK_ACTION_MAX_TICKETS + 1 }, (_, i) => ({
      ...fields,
      reference: `BLK${String(i).padStart(6, '0')}`,
      status: 'open' as const,
      category: 'other' as const,
      statusTokenHash: null,
      statusToken: null,
    }));
    for (let i = 0; i < copies.length; i += 100) {
      await ds().manager.insert(Ticket, copies.slice(i, i + 100));
    }
    const list = await get(`/queues/${tenant.queue.id}?category=other`).expect(200);
    expect(list.text).toContain('一度に500件までのため選べません');
    const all = await postForm('/bulk-actions', [
      ['returnTo', `/queues/${tenant.queue.id}?category=other`],
      ['selection', 'all'],
      ['queueId', String(tenant.queue.id)],
      ['filter', 'category=other'],
      ['action', 'priority'],
      ['priority', 'high'],
    ]).expect(400);
    expect(all.text).toContain('501件');
    expect(await ds().manager.count(BulkRun)).toBe(before);

    // Within the limit the same filter is taken whole (status narrows it to 2 of them).
    await ds().manager.update(
      Ticket,
      { reference: copies[0].reference },
      { status: 'pending_merchant' },
    );
    await ds().manager.update(
      Ticket,
      { reference: copies[1].reference },
      { status: 'pending_merchant' },
    );
    const some = await postForm('/bulk-actions', [
      ['returnTo', '/'],
      ['selection', 'all'],
      ['queueId', String(tenant.queue.id)],
      ['filter', 'status=pending_merchant&category=other'],
      ['action', 'priority'],
      ['priority', 'high'],
    ]).expect(303);
    const runId = runIdOf(some.headers.location as string);
    expect(await ds().manager.count(BulkRunItem, { where: { bulkRunId: runId } })).toBe(2);
  });

  it("should refuse a selection with another merchant's ticket (404) and store nothing", async () => {
    const mine = await submitInquiry();
    const theirs = await submitInquiry(other);
    const before = await ds().manager.count(BulkRun);
    await postForm('/bulk-actions', [
      ['returnTo', '/'],
      ['selection', 'selected'],
      ['ref', mine],
      ['ref', theirs],
      ['action', 'priority'],
      ['priority', 'urgent'],
    ]).expect(404);
    await api('post', '/api/v1/bulk-actions', {
      action: 'priority',
      priority: 'urgent',
      references: [mine, theirs],
    }).expect(404);
    expect(await ds().manager.count(BulkRun)).toBe(before);
    expect((await ticketOf(theirs)).priority).toBe((await ticketOf(mine)).priority);
  });

  it("should not show or run another agent's run", async () => {
    const ref = await submitInquiry();
    const created = await api('post', '/api/v1/bulk-actions', {
      action: 'priority',
      priority: 'high',
      references: [ref],
    }).expect(201);
    const runId = (created.body as { id: number }).id;
    const colleague = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    const theirs = await loginAs(desk, colleague.email);
    await get(`/bulk-actions/${runId}`, theirs).expect(404);
    await postForm(`/bulk-actions/${runId}/run`, [], theirs).expect(404);
    expect((await ticketOf(ref)).priority).not.toBe('high');
  });

  it('should preview and run through the API, and skip a ticket the action does not fit', async () => {
    const refs = [await submitInquiry(), await submitInquiry()];
    // The second one is finished: a note is not allowed on a closed ticket.
    await ds().manager.update(Ticket, { reference: refs[1] }, { status: 'closed' });
    const preview = await api('post', '/api/v1/bulk-actions', {
      action: 'note',
      references: refs,
    }).expect(201);
    const body = preview.body as { id: number; state: string; total: number };
    expect({ state: body.state, total: body.total }).toEqual({ state: 'preview', total: 2 });
    // A note run needs its text.
    await api('post', `/api/v1/bulk-actions/${body.id}/run`, {}).expect(400);
    const ran = await api('post', `/api/v1/bulk-actions/${body.id}/run`, {
      body: '一括で確認済み',
    }).expect(200);
    const result = ran.body as {
      state: string;
      items: Array<{ reference: string; state: string; skipReason: string | null }>;
    };
    expect(result.state).toBe('completed');
    expect(result.items).toEqual([
      expect.objectContaining({ reference: refs[0], state: 'done', skipReason: null }),
      expect.objectContaining({ reference: refs[1], state: 'skipped', skipReason: 'not_allowed' }),
    ]);
    const again = await api('get', `/api/v1/bulk-actions/${body.id}`).expect(200);
    expect((again.body as { doneCount: number }).doneCount).toBe(1);
  });
});
