import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { OutboxJob } from '@madoguchi/mail';
import { CannedResponse, Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

describe(`desk REST API (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent: User;
  let agentSession: LoggedIn;
  let adminSession: LoggedIn;
  let viewerASession: LoggedIn;
  let viewerBSession: LoggedIn;

  const http = () => request(desk.getHttpServer());

  /** An inquiry through the real intake API: the ticket as the desk will find it. */
  async function newTicket(
    tenant: TestTenant,
    overrides: Partial<typeof VALID_INQUIRY> = {},
  ): Promise<string> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, ...overrides })
      .expect(201);
    return (response.body as { reference: string }).reference;
  }

  async function ticketRow(reference: string): Promise<Ticket> {
    return testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference });
  }

  async function messageCount(reference: string): Promise<number> {
    const ticket = await ticketRow(reference);
    return testEnv.dataSource.getRepository(Message).countBy({ ticketId: ticket.id });
  }

  function write(method: 'post' | 'patch', path: string, session: LoggedIn, csrf = true) {
    const req = http()[method](path).set('cookie', session.cookie);
    return csrf ? req.set('x-csrf-token', session.csrfToken) : req;
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'A商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'B商店' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
    });
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    const viewerB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantB.merchant.id,
    });
    agentSession = await loginAs(desk, agent.email);
    adminSession = await loginAs(desk, admin.email);
    viewerASession = await loginAs(desk, viewerA.email);
    viewerBSession = await loginAs(desk, viewerB.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('authentication', () => {
    it.each([
      ['GET', '/api/v1/tickets'],
      ['GET', '/api/v1/tickets/AAAA-BBBB'],
      ['GET', '/api/v1/queues'],
      ['GET', '/api/v1/calls'],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/canned-responses'],
      ['POST', '/api/v1/tickets/AAAA-BBBB/replies'],
    ])('should answer %s %s with 401 JSON without a session', async (method, path) => {
      const response = await (
        method === 'GET' ? http().get(path) : http().post(path).send({ body: 'x' })
      ).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    });

    it('should refuse a write without the X-CSRF-Token header with 403 and store nothing', async () => {
      const reference = await newTicket(tenantA);
      const before = await messageCount(reference);
      const response = await write(
        'post',
        `/api/v1/tickets/${reference}/replies`,
        agentSession,
        false,
      )
        .send({ body: '返信です。' })
        .expect(403);
      expect(response.body.code).toBe('CSRF_TOKEN_INVALID');
      const wrong = await write('post', `/api/v1/tickets/${reference}/replies`, agentSession, false)
        .set('x-csrf-token', 'not-the-token')
        .send({ body: '返信です。' })
        .expect(403);
      expect(wrong.body.code).toBe('CSRF_TOKEN_INVALID');
      expect(await messageCount(reference)).toBe(before);
    });
  });

  describe('GET /api/v1/tickets', () => {
    it("should list the agent's queue tickets with ISO dates, most urgent first, and page them", async () => {
      const first = await newTicket(tenantA);
      const second = await newTicket(tenantA);
      const response = await http()
        .get('/api/v1/tickets')
        .query({ queue: tenantA.queue.id, pageSize: 100 })
        .set('cookie', agentSession.cookie)
        .expect(200);
      const body = response.body as {
        items: Array<Record<string, unknown>>;
        total: number;
        page: number;
        pageSize: number;
      };
      expect(body.page).toBe(1);
      expect(body.pageSize).toBe(100);
      const references = body.items.map((item) => item.reference);
      expect(references).toEqual(expect.arrayContaining([first, second]));
      expect(references.indexOf(first)).toBeLessThan(references.indexOf(second));
      const item = body.items.find((row) => row.reference === first)!;
      expect(item).toMatchObject({
        merchantId: tenantA.merchant.id,
        queueId: tenantA.queue.id,
        status: 'new',
        channel: 'web',
      });
      expect(item.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      // A list row carries no personal data.
      expect(JSON.stringify(body)).not.toContain(VALID_INQUIRY.email);
      expect(JSON.stringify(body)).not.toContain(VALID_INQUIRY.name);

      const paged = await http()
        .get('/api/v1/tickets')
        .query({ queue: tenantA.queue.id, pageSize: 1, page: 2 })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(paged.body).toMatchObject({ page: 2, pageSize: 1, total: body.total });
      expect(paged.body.items).toHaveLength(1);
    });

    it("should show a merchant user only its own merchant's tickets", async () => {
      const ofA = await newTicket(tenantA);
      const ofB = await newTicket(tenantB);
      const response = await http()
        .get('/api/v1/tickets')
        .query({
          pageSize: 100,
          status: 'new,open,pending_customer,pending_merchant,resolved,closed,handed_back',
        })
        .set('cookie', viewerBSession.cookie)
        .expect(200);
      const references = (
        response.body.items as Array<{ reference: string; merchantId: number }>
      ).map((i) => i.reference);
      expect(references).toContain(ofB);
      expect(references).not.toContain(ofA);
      expect(new Set(response.body.items.map((i: { merchantId: number }) => i.merchantId))).toEqual(
        new Set([tenantB.merchant.id]),
      );
    });

    it('should filter by status, channel and assignee', async () => {
      const reference = await newTicket(tenantA);
      const none = await http()
        .get('/api/v1/tickets')
        .query({ queue: tenantA.queue.id, status: 'closed', pageSize: 100 })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(none.body.items.map((i: { reference: string }) => i.reference)).not.toContain(
        reference,
      );
      const unassigned = await http()
        .get('/api/v1/tickets')
        .query({ queue: tenantA.queue.id, assignee: 'unassigned', channel: 'web', pageSize: 100 })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(unassigned.body.items.map((i: { reference: string }) => i.reference)).toContain(
        reference,
      );
      const mine = await http()
        .get('/api/v1/tickets')
        .query({ assignee: 'me', pageSize: 100 })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(mine.body.items.map((i: { reference: string }) => i.reference)).not.toContain(
        reference,
      );
    });

    it('should answer bad filters with 400 and field errors', async () => {
      const response = await http()
        .get('/api/v1/tickets')
        .query({ status: 'new,bogus', pageSize: 101, assignee: 'someone' })
        .set('cookie', agentSession.cookie)
        .expect(400);
      const fields = (response.body.errors as Array<{ field: string }>)
        .map((error) => error.field)
        .sort();
      expect(fields).toEqual(['assignee', 'pageSize', 'status']);
    });

    it("should answer 404 for another merchant's queue", async () => {
      await http()
        .get('/api/v1/tickets')
        .query({ queue: tenantA.queue.id })
        .set('cookie', viewerBSession.cookie)
        .expect(404);
    });
  });

  describe('GET /api/v1/tickets/{reference}', () => {
    it('should return the ticket with its requester and conversation, and audit the view', async () => {
      const reference = await newTicket(tenantA);
      const response = await http()
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(response.body).toMatchObject({
        reference,
        status: 'new',
        requester: { name: VALID_INQUIRY.name, email: VALID_INQUIRY.email },
      });
      expect(response.body.messages).toEqual([
        expect.objectContaining({ kind: 'customer', body: VALID_INQUIRY.message }),
      ]);
      expect(response.body.allowedStatuses).toEqual(expect.arrayContaining(['open', 'resolved']));
      const views = await testEnv.dataSource
        .getRepository(AuditEvent)
        .countBy({ action: 'ticket.viewed', targetId: reference, actorId: agent.id });
      expect(views).toBe(1);
    });

    it("should let a merchant user read its own merchant's ticket", async () => {
      const reference = await newTicket(tenantA);
      await http()
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', viewerASession.cookie)
        .expect(200);
    });

    it('should answer 404 for an unknown ticket', async () => {
      const response = await http()
        .get('/api/v1/tickets/ZZZZ-ZZZZ')
        .set('cookie', agentSession.cookie)
        .expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('should find a ticket by reference through search', async () => {
      const reference = await newTicket(tenantA);
      const response = await http()
        .get('/api/v1/tickets/search')
        .query({ q: reference.toLowerCase() })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(response.body.map((item: { reference: string }) => item.reference)).toEqual([
        reference,
      ]);
      const other = await http()
        .get('/api/v1/tickets/search')
        .query({ q: reference })
        .set('cookie', viewerBSession.cookie)
        .expect(200);
      expect(other.body).toEqual([]);
    });
  });

  describe('writes', () => {
    it('should store a reply (201), show it in the detail and queue its mail in the outbox', async () => {
      const reference = await newTicket(tenantA);
      const outboxBefore = await testEnv.dataSource.getRepository(OutboxJob).count();
      const response = await write('post', `/api/v1/tickets/${reference}/replies`, agentSession)
        .send({
          body: 'お問い合わせありがとうございます。確認いたします。',
          version: (await ticketRow(reference)).version,
        })
        .expect(201);
      expect(response.body).toMatchObject({ reference, status: 'pending_customer' });
      expect(typeof response.body.version).toBe('number');
      const detail = await http()
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(detail.body.messages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'reply',
            body: 'お問い合わせありがとうございます。確認いたします。',
          }),
        ]),
      );
      expect(detail.body.version).toBe(response.body.version);
      expect(await testEnv.dataSource.getRepository(OutboxJob).count()).toBe(outboxBefore + 1);
    });

    it.each([
      ['an empty body', { body: '' }],
      ['a blank body', { body: '   \n ' }],
      ['an oversized body', { body: 'あ'.repeat(10_001) }],
      ['no body', {}],
      ['an unknown field', { body: 'ok', cc: 'x@example.jp' }],
    ])(
      'should answer a reply with %s with 400 and errors, storing nothing',
      async (_case, payload) => {
        const reference = await newTicket(tenantA);
        const before = await messageCount(reference);
        const outboxBefore = await testEnv.dataSource.getRepository(OutboxJob).count();
        const response = await write('post', `/api/v1/tickets/${reference}/replies`, agentSession)
          .send(payload)
          .expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
        );
        expect(await messageCount(reference)).toBe(before);
        expect(await testEnv.dataSource.getRepository(OutboxJob).count()).toBe(outboxBefore);
      },
    );

    it('should add an internal note', async () => {
      const reference = await newTicket(tenantA);
      await write('post', `/api/v1/tickets/${reference}/notes`, agentSession)
        .send({ body: '電話で確認済み' })
        .expect(201);
      const detail = await http()
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(detail.body.messages).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'note', body: '電話で確認済み' })]),
      );
    });

    it('should answer an illegal status transition with 409 and the reason, changing nothing', async () => {
      const reference = await newTicket(tenantA);
      const before = await ticketRow(reference);
      const response = await write('post', `/api/v1/tickets/${reference}/status`, agentSession)
        .send({ status: 'closed' })
        .expect(409);
      expect(response.body.code).toBe('INVALID_STATUS_TRANSITION');
      expect(response.body.message).toEqual(expect.any(String));
      const after = await ticketRow(reference);
      expect(after.status).toBe('new');
      expect(after.version).toBe(before.version);
    });

    it('should refuse a stale version with 409 and keep the newer change', async () => {
      const reference = await newTicket(tenantA);
      const { version } = await ticketRow(reference);
      await write('patch', `/api/v1/tickets/${reference}`, agentSession)
        .send({ priority: 'high', version })
        .expect(200);
      const stale = await write('patch', `/api/v1/tickets/${reference}`, agentSession)
        .send({ priority: 'low', version })
        .expect(409);
      expect(stale.body.code).toBe('STALE_VERSION');
      const reply = await write('post', `/api/v1/tickets/${reference}/replies`, agentSession)
        .send({ body: '古い版への返信', version })
        .expect(409);
      expect(reply.body.code).toBe('STALE_VERSION');
      expect((await ticketRow(reference)).priority).toBe('high');
    });

    it('should change the status along the life cycle, assign, release and hand back', async () => {
      const reference = await newTicket(tenantA);
      const opened = await write('post', `/api/v1/tickets/${reference}/status`, agentSession)
        .send({ status: 'open' })
        .expect(200);
      expect(opened.body.status).toBe('open');
      const assigned = await write('post', `/api/v1/tickets/${reference}/assign`, agentSession)
        .send({ assigneeId: agent.id, version: opened.body.version })
        .expect(200);
      expect(assigned.body.assigneeId).toBe(agent.id);
      const released = await write('post', `/api/v1/tickets/${reference}/assign`, agentSession)
        .send({ assigneeId: null })
        .expect(200);
      expect(released.body.assigneeId).toBeNull();
      const handedBack = await write('post', `/api/v1/tickets/${reference}/hand-back`, agentSession)
        .send({})
        .expect(200);
      expect(handedBack.body.status).toBe('handed_back');
    });

    it("should refuse writes by a merchant user on its own merchant's ticket with 403", async () => {
      const reference = await newTicket(tenantA);
      const before = await messageCount(reference);
      const response = await write('post', `/api/v1/tickets/${reference}/replies`, viewerASession)
        .send({ body: '加盟店からの返信' })
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
      expect(await messageCount(reference)).toBe(before);
    });
  });

  describe('queues', () => {
    it("should list the agent's queues with counts", async () => {
      await newTicket(tenantA);
      const response = await http()
        .get('/api/v1/queues')
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(response.body).toEqual([
        expect.objectContaining({
          id: tenantA.queue.id,
          merchantId: tenantA.merchant.id,
          countsByStatus: expect.objectContaining({
            new: expect.any(Number),
            closed: expect.any(Number),
          }),
          countsBySla: expect.objectContaining({ breached: expect.any(Number) }),
        }),
      ]);
      expect(response.body[0].countsByStatus.new).toBeGreaterThan(0);
    });

    it("should list a queue's tickets", async () => {
      const reference = await newTicket(tenantA);
      const response = await http()
        .get(`/api/v1/queues/${tenantA.queue.id}/tickets`)
        .query({ pageSize: 100 })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(response.body.items.map((i: { reference: string }) => i.reference)).toContain(
        reference,
      );
    });

    it('should take the next ticket (200) and answer 204 when the queue has none', async () => {
      const emptyTenant = await createTestTenant(testEnv.dataSource);
      const worker = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [emptyTenant.queue.id],
      });
      const session = await loginAs(desk, worker.email);
      await write('post', `/api/v1/queues/${emptyTenant.queue.id}/take-next`, session).expect(204);
      const reference = await newTicket(emptyTenant);
      const taken = await write(
        'post',
        `/api/v1/queues/${emptyTenant.queue.id}/take-next`,
        session,
      ).expect(200);
      expect(taken.body).toMatchObject({ reference, assigneeId: worker.id });
      await write('post', `/api/v1/queues/${emptyTenant.queue.id}/take-next`, session).expect(204);
    });

    it('should answer 404 for a queue id that is not a number', async () => {
      await http().get('/api/v1/queues/abc/tickets').set('cookie', agentSession.cookie).expect(404);
    });
  });

  describe('canned responses', () => {
    it('should let an admin create one and render it for a ticket with its placeholders filled', async () => {
      const reference = await newTicket(tenantA);
      const created = await write('post', '/api/v1/canned-responses', adminSession)
        .send({
          merchantId: tenantA.merchant.id,
          title: 'お詫び',
          body: '{{name}} 様、{{merchant}}です。受付番号 {{reference}}',
        })
        .expect(201);
      const list = await http()
        .get('/api/v1/canned-responses')
        .query({ merchantId: tenantA.merchant.id })
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(list.body.map((c: { id: number }) => c.id)).toContain(created.body.id);
      const rendered = await http()
        .get(`/api/v1/tickets/${reference}/canned-responses/${created.body.id}/rendered`)
        .set('cookie', agentSession.cookie)
        .expect(200);
      expect(rendered.body.body).toBe(`${VALID_INQUIRY.name} 様、A商店です。受付番号 ${reference}`);
      const updated = await write(
        'patch',
        `/api/v1/canned-responses/${created.body.id}`,
        adminSession,
      )
        .send({ title: 'お詫び（改）', body: '改訂' })
        .expect(200);
      expect(updated.body.title).toBe('お詫び（改）');
      await http()
        .delete(`/api/v1/canned-responses/${created.body.id}`)
        .set('cookie', adminSession.cookie)
        .set('x-csrf-token', adminSession.csrfToken)
        .expect(204);
      expect(
        await testEnv.dataSource.getRepository(CannedResponse).countBy({ id: created.body.id }),
      ).toBe(0);
    });

    it('should refuse canned-response changes to agents and merchant users (403)', async () => {
      const payload = { merchantId: null, title: 't', body: 'b' };
      await write('post', '/api/v1/canned-responses', agentSession).send(payload).expect(403);
      await write('post', '/api/v1/canned-responses', viewerASession).send(payload).expect(403);
    });
  });

  describe("another merchant's identifiers (merchant user of B against merchant A)", () => {
    let reference: string;
    let cannedId: number;

    beforeAll(async () => {
      reference = await newTicket(tenantA);
      const canned = await write('post', '/api/v1/canned-responses', adminSession)
        .send({ merchantId: null, title: '共通', body: '{{name}} 様' })
        .expect(201);
      cannedId = canned.body.id;
    });

    it.each([
      [
        'GET detail',
        () => http().get(`/api/v1/tickets/${reference}`).set('cookie', viewerBSession.cookie),
      ],
      [
        'POST replies',
        () =>
          write('post', `/api/v1/tickets/${reference}/replies`, viewerBSession).send({ body: 'x' }),
      ],
      [
        'POST notes',
        () =>
          write('post', `/api/v1/tickets/${reference}/notes`, viewerBSession).send({ body: 'x' }),
      ],
      [
        'POST status',
        () =>
          write('post', `/api/v1/tickets/${reference}/status`, viewerBSession).send({
            status: 'open',
          }),
      ],
      [
        'PATCH ticket',
        () =>
          write('patch', `/api/v1/tickets/${reference}`, viewerBSession).send({ priority: 'high' }),
      ],
      [
        'POST assign',
        () =>
          write('post', `/api/v1/tickets/${reference}/assign`, viewerBSession).send({
            assigneeId: null,
          }),
      ],
      [
        'POST hand-back',
        () => write('post', `/api/v1/tickets/${reference}/hand-back`, viewerBSession).send({}),
      ],
      [
        'GET rendered canned',
        () =>
          http()
            .get(`/api/v1/tickets/${reference}/canned-responses/${cannedId}/rendered`)
            .set('cookie', viewerBSession.cookie),
      ],
      [
        'POST take-next',
        () => write('post', `/api/v1/queues/${tenantA.queue.id}/take-next`, viewerBSession),
      ],
      [
        'GET queue tickets',
        () =>
          http()
            .get(`/api/v1/queues/${tenantA.queue.id}/tickets`)
            .set('cookie', viewerBSession.cookie),
      ],
    ])('should answer %s with 404 and change nothing', async (_route, send) => {
      const before = await ticketRow(reference);
      const messagesBefore = await messageCount(reference);
      const response = await send().expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
      const after = await ticketRow(reference);
      expect(after.version).toBe(before.version);
      expect(after.assigneeId).toBe(before.assigneeId);
      expect(await messageCount(reference)).toBe(messagesBefore);
    });

    it('should not list their queues or find their tickets', async () => {
      const queues = await http()
        .get('/api/v1/queues')
        .set('cookie', viewerBSession.cookie)
        .expect(200);
      expect(queues.body.map((q: { id: number }) => q.id)).toEqual([tenantB.queue.id]);
      const search = await http()
        .get('/api/v1/tickets/search')
        .query({ q: reference })
        .set('cookie', viewerBSession.cookie)
        .expect(200);
      expect(search.body).toEqual([]);
    });

    it('should answer 404 to an agent for a ticket outside their queues', async () => {
      const ofB = await newTicket(tenantB);
      await http().get(`/api/v1/tickets/${ofB}`).set('cookie', agentSession.cookie).expect(404);
      await write('post', `/api/v1/tickets/${ofB}/replies`, agentSession)
        .send({ body: 'x' })
        .expect(404);
    });
  });

  describe('GET /api/v1/calls', () => {
    beforeAll(async () => {
      const now = new Date();
      const call = (merchantId: number | null, sid: string): Partial<Call> => ({
        callSid: sid,
        fromNumber: 'ciphertext-not-shown',
        fromIndex: null,
        callerIdWithheld: false,
        toNumber: '+81367447492',
        status: 'completed',
        lastSequence: null,
        startedAt: now,
        enqueuedAt: null,
        answeredAt: null,
        endedAt: now,
        waitSeconds: 12,
        talkSeconds: 90,
        outcome: 'answered',
        withinHours: true,
        agentId: null,
        merchantId,
        ticketId: null,
        recordingSid: null,
        recordingUrl: null,
        recordingSeconds: null,
        createdAt: now,
        updatedAt: now,
      });
      await testEnv.dataSource
        .getRepository(Call)
        .insert([
          call(tenantA.merchant.id, 'CA-a-1'),
          call(tenantB.merchant.id, 'CA-b-1'),
          call(null, 'CA-none-1'),
        ]);
    });

    it("should show a merchant user only its merchant's calls, without caller numbers", async () => {
      const response = await http()
        .get('/api/v1/calls')
        .set('cookie', viewerBSession.cookie)
        .expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items).toEqual([
        expect.objectContaining({ merchantId: tenantB.merchant.id, talkSeconds: 90 }),
      ]);
      expect(JSON.stringify(response.body)).not.toContain('ciphertext-not-shown');
      expect(JSON.stringify(response.body)).not.toContain('fromNumber');
    });

    it("should show an agent the calls of its queues' merchants and unassigned calls, not another merchant's", async () => {
      const response = await http()
        .get('/api/v1/calls')
        .set('cookie', agentSession.cookie)
        .expect(200);
      const merchantIds = (response.body.items as Array<{ merchantId: number | null }>).map(
        (item) => item.merchantId,
      );
      expect(merchantIds.sort()).toEqual([tenantA.merchant.id, null].sort());
      expect(merchantIds).not.toContain(tenantB.merchant.id);
    });

    it('should show staff every call, paged', async () => {
      const response = await http()
        .get('/api/v1/calls')
        .query({ pageSize: 2 })
        .set('cookie', adminSession.cookie)
        .expect(200);
      expect(response.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(response.body.items).toHaveLength(2);
    });
  });

  describe('OpenAPI', () => {
    it('should serve the document at /api/docs-json without login, listing the contract paths', async () => {
      const response = await http().get('/api/docs-json').expect(200);
      const paths = Object.keys(response.body.paths as Record<string, unknown>);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/login',
          '/api/v1/tickets',
          '/api/v1/tickets/{reference}',
          '/api/v1/tickets/{reference}/replies',
          '/api/v1/calls',
          '/api/v1/queues',
          '/api/v1/queues/{id}/take-next',
          '/api/v1/events',
        ]),
      );
      expect(response.body.components.securitySchemes.session).toMatchObject({
        in: 'cookie',
        name: 'madoguchi_session',
      });
      const replies = response.body.paths['/api/v1/tickets/{reference}/replies'].post;
      expect(replies.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'X-CSRF-Token', in: 'header' })]),
      );
      expect(replies.responses['201'].content['application/json'].schema.$ref).toContain(
        'TicketChangeResultDto',
      );
    });

    it('should serve the browsable page without login under the strict CSP (no inline script or style)', async () => {
      const page = await http().get('/api/docs').expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      const csp = page.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(page.text).not.toMatch(/<style/);
      expect(page.text).not.toMatch(/<script>/);
      const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
      const styles = [...page.text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map(
        (match) => match[1],
      );
      expect(scripts.length).toBeGreaterThan(0);
      for (const asset of [...scripts, ...styles]) {
        const response = await http().get(asset).expect(200);
        expect(response.headers['content-type']).toMatch(/javascript|css/);
      }
      const init = await http().get('/api/docs/docs-init.js').expect(200);
      expect(init.text).toContain('/api/docs-json');
      // Only the files the page needs: no directory of swagger-ui-dist is served.
      await http().get('/api/docs/index.html').expect(404);
      await http().get('/api/docs/swagger-initializer.js').expect(404);
    });
  });
});
