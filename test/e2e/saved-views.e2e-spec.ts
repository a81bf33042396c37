import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { type ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Message, SavedView, Ticket } from '@madoguchi/tickets';
import { BUILT_IN_VIEWS } from '../../apps/desk/src/web/saved-views';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const HOUR = 3_600_000;

/**
 * Issue 15: saved views. Three built-in views (mine, customer replied, SLA breached) and the
 * views people save, personal or shared (shared ones by supervisors only), listed with their
 * counts on the queue overview; each count is what the view's own list shows.
 */
describe(`saved views (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let other: TestTenant;
  let agent: User;
  let colleague: User;
  let supervisor: User;
  let agentSession: LoggedIn;
  let colleagueSession: LoggedIn;
  let supervisorSession: LoggedIn;
  const refs: Record<'mine' | 'replied' | 'breached' | 'plain' | 'elsewhere', string> = {
    mine: '',
    replied: '',
    breached: '',
    plain: '',
    elsewhere: '',
  };

  const server = () => desk.getHttpServer();
  const ds = () => testEnv.dataSource;

  const submitInquiry = async (on: TestTenant = tenant): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${on.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    return (response.body as { reference: string }).reference;
  };

  const get = (path: string, as: LoggedIn) =>
    request(server()).get(path).set('Cookie', as.cookie).set('Accept', 'text/html');

  const postForm = (path: string, fields: Record<string, string>, as: LoggedIn) =>
    request(server())
      .post(path)
      .set('Cookie', as.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: as.csrfToken, ...fields });

  const api = (as: LoggedIn, method: 'get' | 'post' | 'delete', path: string, body?: object) => {
    const http = request(server());
    const req = http[method](path)
      .set('Cookie', as.cookie)
      .set('Accept', 'application/json')
      .set('x-csrf-token', as.csrfToken);
    return body ? req.send(body) : req;
  };

  /** The views on the overview: key → count. */
  const overviewCounts = async (as: LoggedIn): Promise<Record<string, number>> => {
    const page = await get('/', as).expect(200);
    return Object.fromEntries(
      [...page.text.matchAll(/data-view="([^"]+)"\s+data-count="(\d+)"/g)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
  };

  const listed = (html: string): string[] =>
    [...html.matchAll(/<tr[^>]*data-reference="([^"]+)"/g)].map((m) => m[1]);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    tenant = await createTestTenant(ds(), { merchantName: 'さくら商店' });
    other = await createTestTenant(ds(), { merchantName: 'もみじ商店' });
    agent = await createTestUser(ds(), { role: 'agent', queueIds: [tenant.queue.id] });
    colleague = await createTestUser(ds(), { role: 'agent', queueIds: [tenant.queue.id] });
    supervisor = await createTestUser(ds(), { role: 'supervisor' });
    agentSession = await loginAs(desk, agent.email);
    colleagueSession = await loginAs(desk, colleague.email);
    supervisorSession = await loginAs(desk, supervisor.email);

    for (const key of ['mine', 'replied', 'breached', 'plain'] as const) {
      refs[key] = await submitInquiry();
    }
    // Another merchant's ticket, breached, in a queue the agents do not work.
    refs.elsewhere = await submitInquiry(other);
    const now = Date.now();
    const future = new Date(now + 48 * HOUR);
    await ds().manager.update(Ticket, { merchantId: tenant.merchant.id }, { slaDueAt: future });
    await ds().manager.update(Ticket, { reference: refs.mine }, { assigneeId: agent.id });
    await ds().manager.update(
      Ticket,
      { reference: refs.breached },
      { slaDueAt: new Date(now - HOUR) },
    );
    await ds().manager.update(
      Ticket,
      { reference: refs.elsewhere },
      { slaDueAt: new Date(now - HOUR) },
    );
    // Customer replied: the desk answered, then the end user wrote again.
    const replied = await ds().manager.findOneByOrFail(Ticket, { reference: refs.replied });
    const at = new Date();
    await ds().manager.insert(Message, [
      { ticketId: replied.id, kind: 'reply', authorUserId: agent.id, body: null, createdAt: at },
      { ticketId: replied.id, kind: 'customer', authorUserId: null, body: null, createdAt: at },
    ]);
    // "plain" had a reply and no answer yet: not customer-replied.
    const plain = await ds().manager.findOneByOrFail(Ticket, { reference: refs.plain });
    await ds().manager.insert(Message, {
      ticketId: plain.id,
      kind: 'reply',
      authorUserId: agent.id,
      body: null,
      createdAt: at,
    });
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should list the three built-in views with their counts on the overview', async () => {
    expect(await overviewCounts(agentSession)).toEqual({ mine: 1, replied: 1, breached: 1 });
    const page = await get('/', agentSession).expect(200);
    for (const view of BUILT_IN_VIEWS) expect(page.text).toContain(view.name);
    // The colleague has nothing assigned; the supervisor sees every queue (the other one breached too).
    expect(await overviewCounts(colleagueSession)).toEqual({ mine: 0, replied: 1, breached: 1 });
    expect((await overviewCounts(supervisorSession)).breached).toBe(2);
  });

  it("should list each built-in view's tickets, the same number as its count", async () => {
    expect(listed((await get('/views/mine', agentSession).expect(200)).text)).toEqual([refs.mine]);
    expect(listed((await get('/views/replied', agentSession).expect(200)).text)).toEqual([
      refs.replied,
    ]);
    expect(listed((await get('/views/breached', agentSession).expect(200)).text)).toEqual([
      refs.breached,
    ]);
    await get('/views/unknown', agentSession).expect(404);
  });

  it('should keep a personal view to its owner, and let only supervisors share', async () => {
    const saved = await postForm(
      '/views',
      { name: '決済の問い合わせ', query: 'category=leak_check', queueId: String(tenant.queue.id) },
      agentSession,
    ).expect(303);
    const id = Number(/^\/views\/(\d+)\?done=saved$/.exec(saved.headers.location as string)?.[1]);
    expect(id).toBeGreaterThan(0);
    const view = await ds().manager.findOneByOrFail(SavedView, { id });
    expect({ shared: view.shared, owner: view.ownerUserId }).toEqual({
      shared: false,
      owner: agent.id,
    });
    // Four leak_check tickets of the queue (every inquiry here is leak_check).
    expect((await overviewCounts(agentSession))[String(id)]).toBe(4);
    expect(listed((await get(`/views/${id}`, agentSession).expect(200)).text)).toHaveLength(4);
    // The colleague neither sees it nor may open or delete it.
    expect(await overviewCounts(colleagueSession)).not.toHaveProperty(String(id));
    await get(`/views/${id}`, colleagueSession).expect(404);
    await postForm(`/views/${id}/delete`, {}, colleagueSession).expect(404);

    // An agent cannot share; a supervisor can, and everyone sees the shared view.
    await postForm(
      '/views',
      { name: '共有したい', query: 'assignee=unassigned', queueId: '', shared: '1' },
      agentSession,
    ).expect(403);
    const shared = await api(supervisorSession, 'post', '/api/v1/saved-views', {
      name: '未割り当て',
      query: 'assignee=unassigned',
      shared: true,
    }).expect(201);
    const sharedKey = (shared.body as { key: string; count: number }).key;
    expect((shared.body as { count: number }).count).toBe(4);
    expect((await overviewCounts(agentSession))[sharedKey]).toBe(3);
    expect((await overviewCounts(colleagueSession))[sharedKey]).toBe(3);
    const listedByApi = (await api(colleagueSession, 'get', '/api/v1/saved-views').expect(200))
      .body as Array<{ key: string; shared: boolean; builtIn: boolean; count: number }>;
    expect(listedByApi.map((v) => v.key)).toEqual(['mine', 'replied', 'breached', sharedKey]);
    // Only supervisors and admins delete a shared view.
    await postForm(`/views/${sharedKey}/delete`, {}, agentSession).expect(403);
    await api(supervisorSession, 'delete', `/api/v1/saved-views/${sharedKey}`).expect(204);
    expect(await overviewCounts(agentSession)).not.toHaveProperty(sharedKey);
    // The owner deletes the personal one.
    await postForm(`/views/${id}/delete`, {}, agentSession).expect(303);
    expect(await ds().manager.findOneBy(SavedView, { id })).toBeNull();

    const audit = await ds().manager.find(AuditEvent, {
      where: [
        { action: AUDIT_ACTIONS.savedViewCreated },
        { action: AUDIT_ACTIONS.savedViewDeleted },
      ],
      order: { id: 'ASC' },
    });
    expect(audit.map((row) => [row.action, row.targetId])).toEqual([
      [AUDIT_ACTIONS.savedViewCreated, String(id)],
      [AUDIT_ACTIONS.savedViewCreated, sharedKey],
      [AUDIT_ACTIONS.savedViewDeleted, sharedKey],
      [AUDIT_ACTIONS.savedViewDeleted, String(id)],
    ]);
  });

  it("should refuse a view of another merchant's queue, and an empty name", async () => {
    await postForm(
      '/views',
      { name: '他社', query: '', queueId: String(other.queue.id) },
      agentSession,
    ).expect(404);
    await api(agentSession, 'post', '/api/v1/saved-views', { name: ' ', query: '' }).expect(400);
    expect(await ds().manager.count(SavedView)).toBe(0);
  });

  it('should count every view in one query', async () => {
    // Three built-ins and a saved view: the overview adds one counting query, not one per view.
    await api(agentSession, 'post', '/api/v1/saved-views', {
      name: '新規',
      query: 'status=new',
    }).expect(201);
    const counted: string[] = [];
    const original = SelectQueryBuilder.prototype.getRawOne;
    const spy = jest.spyOn(SelectQueryBuilder.prototype, 'getRawOne').mockImplementation(function (
      this: SelectQueryBuilder<ObjectLiteral>,
    ) {
      const sql = this.getQuery();
      if (sql.includes('SUM(CASE WHEN')) counted.push(sql);
      return original.call(this);
    });
    try {
      const counts = await overviewCounts(agentSession);
      expect(Object.keys(counts)).toHaveLength(4);
    } finally {
      spy.mockRestore();
    }
    expect(counted).toHaveLength(1);
  });
});
