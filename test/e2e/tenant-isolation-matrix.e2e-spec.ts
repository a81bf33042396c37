import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { User, type UserRole } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { CannedResponse, Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 5: a merchant user never reaches another merchant's data by any route, HTML or API.
 * Merchant A's users try every identifier-taking route with merchant B's identifiers. A route a
 * merchant may use answers 404; a route closed to merchant roles may answer 403, but only the
 * same 403 it gives for an identifier that does not exist. List and search routes answer without
 * any of B's data. Adding a route is one line in a table below.
 */

const B_MERCHANT_NAME = 'もみじ秘匿商店';
const B_REQUESTER = '秘匿 二郎';
const B_EMAIL = 'momiji-secret@example.jp';
const B_CANNED_TITLE = 'もみじ専用テンプレート';
const B_CALL_SID = 'CA-isolation-b-0001';
const MISSING_REFERENCE = 'ZZZZ-ZZZZ';
const MISSING_ID = 987654;

/** B's identifiers, or identifiers that exist nowhere: a route must not tell them apart. */
interface Ids {
  reference: string;
  callId: number;
  queueId: number;
  cannedId: number;
  userId: number;
  merchantId: number;
  version: number;
}

type Kind = 'html' | 'api';
type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteCase {
  method: Method;
  kind: Kind;
  path: (ids: Ids) => string;
  body?: (ids: Ids) => Record<string, unknown>;
}

const TICKET_ROUTES: Array<[string, RouteCase]> = [
  // The merchant portal.
  [
    'GET /portal/cases/:reference',
    { method: 'get', kind: 'html', path: (i) => `/portal/cases/${i.reference}` },
  ],
  [
    'POST /portal/cases/:reference/answer',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/cases/${i.reference}/answer`,
      body: (i) => ({ body: '横取りの回答', version: String(i.version) }),
    },
  ],
  // The desk console pages.
  [
    'GET /tickets/:reference',
    { method: 'get', kind: 'html', path: (i) => `/tickets/${i.reference}` },
  ],
  [
    'GET /tickets/:reference?canned=:id',
    { method: 'get', kind: 'html', path: (i) => `/tickets/${i.reference}?canned=${i.cannedId}` },
  ],
  [
    'POST /tickets/:reference/replies',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/replies`,
      body: (i) => ({ body: '横取りの返信', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/notes',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/notes`,
      body: (i) => ({ body: '横取りのメモ', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/status',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/status`,
      body: (i) => ({ status: 'closed', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/properties',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/properties`,
      body: (i) => ({ category: 'other', priority: 'high', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/assignment',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/assignment`,
      body: (i) => ({ assignee: 'me', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/hand-back',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/hand-back`,
      body: (i) => ({ confirm: 'yes', version: String(i.version) }),
    },
  ],
  // The REST API.
  [
    'GET /api/v1/tickets/:reference',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/tickets/${i.reference}` },
  ],
  [
    'POST /api/v1/tickets/:reference/replies',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/replies`,
      body: (i) => ({ body: '横取りの返信', version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/notes',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/notes`,
      body: (i) => ({ body: '横取りのメモ', version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/status',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/status`,
      body: (i) => ({ status: 'closed', version: i.version }),
    },
  ],
  [
    'PATCH /api/v1/tickets/:reference',
    {
      method: 'patch',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}`,
      body: (i) => ({ priority: 'high', version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/assign',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/assign`,
      body: (i) => ({ assigneeId: null, version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/hand-back',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/hand-back`,
      body: (i) => ({ version: i.version }),
    },
  ],
  [
    'GET /api/v1/tickets/:reference/canned-responses/:id/rendered',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/canned-responses/${i.cannedId}/rendered`,
    },
  ],
];

const OTHER_ROUTES: Array<[string, RouteCase]> = [
  // Queues.
  ['GET /queues/:id', { method: 'get', kind: 'html', path: (i) => `/queues/${i.queueId}` }],
  [
    'POST /queues/:id/take-next',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/queues/${i.queueId}/take-next`,
      body: () => ({}),
    },
  ],
  [
    'GET /api/v1/queues/:id/tickets',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/queues/${i.queueId}/tickets` },
  ],
  [
    'POST /api/v1/queues/:id/take-next',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/queues/${i.queueId}/take-next`,
      body: () => ({}),
    },
  ],
  // Canned responses.
  [
    'GET /canned-responses/:id/edit',
    { method: 'get', kind: 'html', path: (i) => `/canned-responses/${i.cannedId}/edit` },
  ],
  [
    'POST /canned-responses/:id',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/canned-responses/${i.cannedId}`,
      body: () => ({ title: '書き換え', body: '書き換えた本文' }),
    },
  ],
  [
    'POST /canned-responses/:id/delete',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/canned-responses/${i.cannedId}/delete`,
      body: () => ({}),
    },
  ],
  [
    'PATCH /api/v1/canned-responses/:id',
    {
      method: 'patch',
      kind: 'api',
      path: (i) => `/api/v1/canned-responses/${i.cannedId}`,
      body: () => ({ title: '書き換え', body: '書き換えた本文' }),
    },
  ],
  [
    'DELETE /api/v1/canned-responses/:id',
    { method: 'delete', kind: 'api', path: (i) => `/api/v1/canned-responses/${i.cannedId}` },
  ],
  // Calls.
  ['GET /calls/:id', { method: 'get', kind: 'html', path: (i) => `/calls/${i.callId}` }],
  [
    'POST /calls/:id/wrap-up',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/calls/${i.callId}/wrap-up`,
      body: (i) => ({
        mode: 'link',
        summary: '横取り',
        merchantId: String(i.merchantId),
        category: 'other',
        reference: i.reference,
      }),
    },
  ],
  [
    'POST /calls/:id/callback-done',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/calls/${i.callId}/callback-done`,
      body: () => ({}),
    },
  ],
  [
    'GET /api/v1/calls/:id',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls/${i.callId}` },
  ],
  [
    'POST /api/v1/calls/:id/wrap-up',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/calls/${i.callId}/wrap-up`,
      body: (i) => ({
        mode: 'link',
        summary: '横取り',
        merchantId: i.merchantId,
        category: 'other',
        reference: i.reference,
      }),
    },
  ],
  [
    'POST /api/v1/calls/:id/callback-done',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/calls/${i.callId}/callback-done`,
      body: () => ({}),
    },
  ],
  // Users of the portal.
  [
    'POST /portal/users/:id/disable',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/users/${i.userId}/disable`,
      body: () => ({}),
    },
  ],
  [
    'POST /portal/users/:id/enable',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/users/${i.userId}/enable`,
      body: () => ({}),
    },
  ],
];

/** List, search and create routes that take B's identifier as a filter or a field. */
const FILTER_ROUTES: Array<[string, RouteCase]> = [
  [
    'GET /portal/cases',
    { method: 'get', kind: 'html', path: () => '/portal/cases?status=&page=1' },
  ],
  [
    'GET /portal/cases?q=reference',
    { method: 'get', kind: 'html', path: (i) => `/portal/cases?q=${i.reference}` },
  ],
  [
    'GET /portal/cases?q=email',
    {
      method: 'get',
      kind: 'html',
      path: () => `/portal/cases?q=${encodeURIComponent(B_EMAIL)}`,
    },
  ],
  [
    'GET /portal/stats?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/stats?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/access-log?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/access-log?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/users?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/users?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/settings?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/settings?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/export?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/export?merchantId=${i.merchantId}` },
  ],
  [
    'GET /?merchantId=B (queue home)',
    { method: 'get', kind: 'html', path: (i) => `/?merchantId=${i.merchantId}` },
  ],
  [
    'GET /search?q=reference',
    { method: 'get', kind: 'html', path: (i) => `/search?q=${i.reference}` },
  ],
  ['GET /canned-responses', { method: 'get', kind: 'html', path: () => '/canned-responses' }],
  [
    'GET /calls?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/calls?merchantId=${i.merchantId}` },
  ],
  [
    'GET /calls/log?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/calls/log?merchantId=${i.merchantId}` },
  ],
  [
    'GET /calls/stats?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/calls/stats?merchantId=${i.merchantId}` },
  ],
  ['GET /calls/callbacks', { method: 'get', kind: 'html', path: () => '/calls/callbacks' }],
  [
    'GET /api/v1/tickets?queue=B',
    {
      method: 'get',
      kind: 'api',
      path: (i) =>
        `/api/v1/tickets?queue=${i.queueId}&status=new,open,pending_customer,pending_merchant,resolved,closed,handed_back`,
    },
  ],
  [
    'GET /api/v1/tickets (all statuses)',
    {
      method: 'get',
      kind: 'api',
      path: () =>
        '/api/v1/tickets?pageSize=100&status=new,open,pending_customer,pending_merchant,resolved,closed,handed_back',
    },
  ],
  [
    'GET /api/v1/tickets/search?q=reference',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/tickets/search?q=${i.reference}` },
  ],
  [
    'GET /api/v1/tickets/search?q=email',
    {
      method: 'get',
      kind: 'api',
      path: () => `/api/v1/tickets/search?q=${encodeURIComponent(B_EMAIL)}`,
    },
  ],
  ['GET /api/v1/queues', { method: 'get', kind: 'api', path: () => '/api/v1/queues' }],
  [
    'GET /api/v1/canned-responses?merchantId=B',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/canned-responses?merchantId=${i.merchantId}`,
    },
  ],
  [
    'GET /api/v1/calls?merchantId=B',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls?merchantId=${i.merchantId}` },
  ],
  [
    'GET /api/v1/calls/waiting',
    { method: 'get', kind: 'api', path: () => '/api/v1/calls/waiting' },
  ],
  [
    'GET /api/v1/calls/callbacks',
    { method: 'get', kind: 'api', path: () => '/api/v1/calls/callbacks' },
  ],
  [
    'GET /api/v1/calls/stats?merchantId=B',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls/stats?merchantId=${i.merchantId}` },
  ],
  ['GET /api/v1/auth/me', { method: 'get', kind: 'api', path: () => '/api/v1/auth/me' }],
  [
    'POST /portal/export (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/export',
      body: (i) => ({
        password: 'correct horse battery staple',
        from: '',
        to: '',
        merchantId: String(i.merchantId),
      }),
    },
  ],
  [
    'POST /portal/users (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/users',
      body: (i) => ({
        email: 'planted@users.test',
        displayName: '植え込み',
        role: 'merchant_viewer',
        merchantId: String(i.merchantId),
      }),
    },
  ],
  [
    'POST /portal/settings (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/settings',
      body: (i) => ({
        merchantId: String(i.merchantId),
        notificationEmails: 'planted@merchant.test',
      }),
    },
  ],
  [
    'POST /canned-responses (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/canned-responses',
      body: (i) => ({ title: '植え込み', body: '植え込み本文', merchantId: String(i.merchantId) }),
    },
  ],
  [
    'POST /api/v1/canned-responses (merchantId=B)',
    {
      method: 'post',
      kind: 'api',
      path: () => '/api/v1/canned-responses',
      body: (i) => ({ title: '植え込み', body: '植え込み本文', merchantId: i.merchantId }),
    },
  ],
];

const ROUTES = [...TICKET_ROUTES, ...OTHER_ROUTES];
const MERCHANT_ROLES: UserRole[] = ['merchant_admin', 'merchant_viewer'];

describe(`tenant isolation matrix (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let b: Ids;
  let missing: Ids;
  let bUser: User;
  const sessions = new Map<UserRole, LoggedIn>();
  let before: { ticket: Ticket; messages: number; canned: CannedResponse; call: Call; user: User };

  const send = (route: RouteCase, ids: Ids, session: LoggedIn) => {
    const path = route.path(ids);
    let req = request(desk.getHttpServer())[route.method](path).set('Cookie', session.cookie);
    if (route.kind === 'html') {
      req = req.set('Accept', 'text/html');
      if (route.method !== 'get') {
        return req.type('form').send({ _csrf: session.csrfToken, ...(route.body?.(ids) ?? {}) });
      }
      return req;
    }
    req = req.set('Accept', 'application/json');
    if (route.method !== 'get') {
      req = req.set('x-csrf-token', session.csrfToken);
      return route.body ? req.send(route.body(ids)) : req;
    }
    return req;
  };

  /** Anything of B in a response: its reference, names, SID, or a merchantId/queueId of B. */
  const leaksOfB = (text: string, body: unknown): string[] => {
    const found: string[] = [];
    for (const marker of [
      b.reference,
      B_MERCHANT_NAME,
      B_REQUESTER,
      B_CANNED_TITLE,
      B_CALL_SID,
      bUser.email,
    ]) {
      if (text.includes(marker)) found.push(marker);
    }
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
          if (key === 'merchantId' && inner === b.merchantId) found.push('merchantId=B');
          if (key === 'queueId' && inner === b.queueId) found.push('queueId=B');
          if (key === 'queueIds' && Array.isArray(inner) && inner.includes(b.queueId))
            found.push('queueIds contains B');
          walk(inner);
        }
      }
    };
    walk(body);
    return found;
  };

  const textOf = (response: request.Response): string =>
    response.text ?? JSON.stringify(response.body ?? null);

  /** A search page echoes its own query (the search box, the heading): that is not B's data. */
  const withoutEcho = (text: string, path: string): string => {
    const q = new URL(path, 'http://desk.test').searchParams.get('q');
    if (!q) return text;
    const escaped = q.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return text.split(`value="${escaped}"`).join('value=""');
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: B_MERCHANT_NAME });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    const ds = testEnv.dataSource;

    // B's ticket, waiting on the merchant so that the answer route would take it.
    const created = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenantB.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, name: B_REQUESTER, email: B_EMAIL })
      .expect(201);
    const reference = (created.body as { reference: string }).reference;
    await ds.manager.update(Ticket, { reference }, { status: 'pending_merchant' });
    const ticket = await ds.manager.findOneByOrFail(Ticket, { reference });
    // A ticket of A's as well, so that A's lists are not empty.
    await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenantA.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);

    const now = new Date();
    const canned = await ds.manager.save(
      ds.manager.create(CannedResponse, {
        merchantId: tenantB.merchant.id,
        title: B_CANNED_TITLE,
        body: 'もみじからのご案内 {{reference}}',
        updatedByUserId: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await ds.getRepository(Call).insert({
      callSid: B_CALL_SID,
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
      outcome: 'voicemail',
      withinHours: true,
      agentId: null,
      merchantId: tenantB.merchant.id,
      ticketId: null,
      recordingSid: null,
      recordingUrl: null,
      recordingSeconds: null,
      createdAt: now,
      updatedAt: now,
    });
    const call = await ds.getRepository(Call).findOneByOrFail({ callSid: B_CALL_SID });
    bUser = await createTestUser(ds, { role: 'merchant_viewer', merchantId: tenantB.merchant.id });

    b = {
      reference,
      callId: call.id,
      queueId: tenantB.queue.id,
      cannedId: canned.id,
      userId: bUser.id,
      merchantId: tenantB.merchant.id,
      version: ticket.version,
    };
    missing = {
      reference: MISSING_REFERENCE,
      callId: MISSING_ID,
      queueId: MISSING_ID,
      cannedId: MISSING_ID,
      userId: MISSING_ID,
      merchantId: MISSING_ID,
      version: ticket.version,
    };

    for (const role of MERCHANT_ROLES) {
      const user = await createTestUser(ds, { role, merchantId: tenantA.merchant.id });
      sessions.set(role, await loginAs(desk, user.email));
    }

    before = {
      ticket,
      messages: await ds.manager.countBy(Message, { ticketId: ticket.id }),
      canned,
      call,
      user: await ds.manager.findOneByOrFail(User, { id: bUser.id }),
    };
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe.each(MERCHANT_ROLES)('as merchant A’s %s', (role) => {
    it.each(ROUTES)(
      "%s with B's identifier: 404, or the same refusal as for an identifier that does not exist",
      async (_name, route) => {
        const session = sessions.get(role)!;
        const ofB = await send(route, b, session);
        const ofNothing = await send(route, missing, session);
        expect({ status: ofB.status, leaks: leaksOfB(textOf(ofB), ofB.body) }).toEqual({
          status: ofNothing.status,
          leaks: [],
        });
        // Only "not found" or a refusal by role that ignores the identifier.
        expect([403, 404]).toContain(ofB.status);
        if (ofB.status === 403) expect(ofNothing.status).toBe(403);
      },
    );

    it.each(FILTER_ROUTES)("%s: none of B's data", async (_name, route) => {
      const session = sessions.get(role)!;
      const response = await send(route, b, session);
      expect(leaksOfB(withoutEcho(textOf(response), route.path(b)), response.body)).toEqual([]);
      // 200/303 for what the role may use; 400/403/404 for what it may not. Never a 5xx.
      expect(response.status).toBeLessThan(500);
    });
  });

  describe('after the whole matrix', () => {
    it('should leave everything of B as it was', async () => {
      const ds = testEnv.dataSource;
      const ticket = await ds.manager.findOneByOrFail(Ticket, { id: before.ticket.id });
      expect(ticket).toMatchObject({
        version: before.ticket.version,
        status: before.ticket.status,
        priority: before.ticket.priority,
        category: before.ticket.category,
        queueId: before.ticket.queueId,
        assigneeId: before.ticket.assigneeId,
        merchantId: tenantB.merchant.id,
      });
      expect(await ds.manager.countBy(Message, { ticketId: ticket.id })).toBe(before.messages);
      expect(await ds.manager.countBy(Ticket, { merchantId: tenantB.merchant.id })).toBe(1);

      const canned = await ds.manager.findOneByOrFail(CannedResponse, { id: before.canned.id });
      expect(canned).toMatchObject({ title: before.canned.title, body: before.canned.body });
      expect(await ds.manager.countBy(CannedResponse, { merchantId: tenantB.merchant.id })).toBe(1);

      const call = await ds.manager.findOneByOrFail(Call, { id: before.call.id });
      expect(call).toMatchObject({
        ticketId: null,
        status: before.call.status,
        outcome: before.call.outcome,
        agentId: null,
        callbackDoneAt: null,
      });
      expect(call.updatedAt.getTime()).toBe(before.call.updatedAt.getTime());

      const user = await ds.manager.findOneByOrFail(User, { id: bUser.id });
      expect(user.disabledAt).toBeNull();
      expect(await ds.manager.countBy(User, { merchantId: tenantB.merchant.id })).toBe(1);
      // The portal may create the planted user, but only in the caller's own merchant.
      const planted = await ds.manager.findBy(User, { email: 'planted@users.test' });
      for (const user of planted) expect(user.merchantId).toBe(tenantA.merchant.id);
    });
  });
});
