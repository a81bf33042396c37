import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const AGENT_IP = '198.51.100.23';
const NOTE_TEXT = '社内向けメモ: 加盟店には見せない';

describe(`merchant portal (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent: User;
  let viewerA: User;
  let adminA: User;
  let adminB: User;
  let agentSession: LoggedIn;
  let viewerSession: LoggedIn;
  let adminASession: LoggedIn;
  let adminBSession: LoggedIn;
  let adminStaffSession: LoggedIn;
  const refs = { a1: '', a2: '', b1: '' };

  const server = () => desk.getHttpServer();

  const submitInquiry = async (
    tenant: TestTenant,
    overrides: Record<string, unknown> = {},
  ): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, ...overrides })
      .expect(201);
    return (response.body as { reference: string }).reference;
  };

  const get = (path: string, session: LoggedIn, ip?: string) => {
    const req = request(server())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');
    return ip ? req.set('X-Forwarded-For', ip) : req;
  };

  const auditCount = (where: { action: string; actorId: number }) =>
    testEnv.dataSource.manager.countBy(AuditEvent, where);

  /** Rows of the access log table, by their data attributes. */
  const loggedEvents = (html: string): number[] =>
    [...html.matchAll(/data-event-id="(\d+)"/g)].map((match) => Number(match[1]));

  const listedReferences = (html: string): string[] =>
    [...html.matchAll(/data-reference="([^"]+)"/g)].map((match) => match[1]);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv, { TRUST_PROXY: 'true' });
    intake = await startIntakeApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, {
      merchantName: 'さくら<script>alert(1)</script>商店',
    });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id, tenantB.queue.id],
      displayName: '佐藤 <b>一郎</b>',
    });
    viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
      displayName: 'さくら 管理者',
    });
    adminB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantB.merchant.id,
      displayName: 'もみじ 管理者',
    });
    const staffAdmin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    agentSession = await loginAs(desk, agent.email);
    viewerSession = await loginAs(desk, viewerA.email);
    adminASession = await loginAs(desk, adminA.email);
    adminBSession = await loginAs(desk, adminB.email);
    adminStaffSession = await loginAs(desk, staffAdmin.email);
    refs.a1 = await submitInquiry(tenantA);
    refs.a2 = await submitInquiry(tenantA, { category: 'payment' });
    refs.b1 = await submitInquiry(tenantB, { email: 'b-customer@example.jp' });
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  describe('landing and roles', () => {
    it('should send a merchant user landing at / to the portal cases', async () => {
      const response = await get('/', viewerSession).expect(303);

      expect(response.headers.location).toBe('/portal/cases');
    });

    it('should still show staff the queue overview at /', async () => {
      await get('/', agentSession).expect(200);
    });

    it('should refuse staff roles the portal (403)', async () => {
      for (const session of [agentSession, adminStaffSession]) {
        await get('/portal/cases', session).expect(403);
        await get(`/portal/cases/${refs.a1}`, session).expect(403);
        await get('/portal/access-log', session).expect(403);
      }
    });

    it('should refuse a merchant viewer the access log (403)', async () => {
      const response = await get('/portal/access-log', viewerSession).expect(403);

      expect(response.text).not.toContain('data-event-id');
    });

    it('should offer merchant users the portal nav, and the access log only to merchant admins', async () => {
      const asViewer = await get('/portal/cases', viewerSession).expect(200);
      const asAdmin = await get('/portal/cases', adminASession).expect(200);

      expect(asViewer.text).toContain('href="/portal/cases"');
      expect(asViewer.text).not.toContain('href="/portal/access-log"');
      expect(asAdmin.text).toContain('href="/portal/access-log"');
      expect(asViewer.text).not.toContain('href="/canned-responses"');
    });
  });

  describe('cases', () => {
    it("should list the merchant's own cases and not another merchant's", async () => {
      const response = await get('/portal/cases', viewerSession).expect(200);

      expect(response.headers['cache-control']).toBe('no-store');
      expect(listedReferences(response.text).sort()).toEqual([refs.a1, refs.a2].sort());
      expect(response.text).not.toContain(refs.b1);
    });

    it('should filter the cases by category, status and channel', async () => {
      const payment = await get('/portal/cases?category=payment', viewerSession).expect(200);
      const resolved = await get('/portal/cases?status=resolved', viewerSession).expect(200);
      const phone = await get('/portal/cases?channel=phone', viewerSession).expect(200);

      expect(listedReferences(payment.text)).toEqual([refs.a2]);
      expect(listedReferences(resolved.text)).toEqual([]);
      expect(listedReferences(phone.text)).toEqual([]);
    });

    it('should page the cases and keep the filter in the page links', async () => {
      // 25 a page: a second page exists once the merchant has 26 active cases.
      const extra = [];
      for (let i = 0; i < 24; i += 1)
        extra.push(await submitInquiry(tenantA, { category: 'other' }));
      const first = await get('/portal/cases?category=other', viewerSession).expect(200);
      const second = await get('/portal/cases?category=other&page=2', viewerSession).expect(200);
      const all = await get('/portal/cases', viewerSession).expect(200);
      const allSecond = await get('/portal/cases?page=2', viewerSession).expect(200);

      expect(listedReferences(first.text).sort()).toEqual([...extra].sort());
      expect(listedReferences(second.text)).toEqual([]);
      expect(listedReferences(all.text)).toHaveLength(25);
      expect(listedReferences(allSecond.text)).toHaveLength(1);
      expect(all.text).toContain('href="/portal/cases?page=2"');
      expect(
        new Set([...listedReferences(all.text), ...listedReferences(allSecond.text)]).size,
      ).toBe(26);
    });

    it("should find the merchant's own case by reference and not another merchant's", async () => {
      const own = await get(`/portal/cases?q=${refs.a1}`, viewerSession).expect(200);
      const other = await get(`/portal/cases?q=${refs.b1}`, viewerSession).expect(200);
      const otherByEmail = await get('/portal/cases?q=b-customer@example.jp', viewerSession).expect(
        200,
      );

      expect(listedReferences(own.text)).toEqual([refs.a1]);
      expect(listedReferences(other.text)).toEqual([]);
      expect(listedReferences(otherByEmail.text)).toEqual([]);
    });

    it('should refuse an empty search with 400 and escape the query it shows back', async () => {
      const empty = await get('/portal/cases?q=', viewerSession).expect(400);
      const hostile = await get(
        `/portal/cases?q=${encodeURIComponent('<script>x</script>')}`,
        viewerSession,
      ).expect(200);

      expect(empty.text).toContain('field__error');
      expect(hostile.text).not.toContain('<script>x</script>');
      expect(hostile.text).toContain('&lt;script&gt;x&lt;/script&gt;');
    });

    it('should escape the merchant name', async () => {
      const response = await get('/portal/cases', viewerSession).expect(200);

      expect(response.text).not.toContain('<script>alert(1)</script>');
      expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it("should answer 404 for another merchant's case page and audit nothing", async () => {
      const before = await auditCount({ action: 'ticket.viewed', actorId: viewerA.id });

      const response = await get(`/portal/cases/${refs.b1}`, viewerSession).expect(404);
      await get('/portal/cases/NOPE-0000', viewerSession).expect(404);

      expect(response.text).not.toContain(refs.b1);
      expect(await auditCount({ action: 'ticket.viewed', actorId: viewerA.id })).toBe(before);
    });

    it('should show the case read-only without internal notes and audit the view', async () => {
      const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
        reference: refs.a1,
      });
      await request(server())
        .post(`/tickets/${refs.a1}/notes`)
        .set('Cookie', agentSession.cookie)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: agentSession.csrfToken, version: String(ticket.version), body: NOTE_TEXT })
        .expect(303);
      const before = await auditCount({ action: 'ticket.viewed', actorId: viewerA.id });

      const response = await get(`/portal/cases/${refs.a1}`, viewerSession).expect(200);

      expect(response.text).toContain(refs.a1);
      expect(response.text).toContain(VALID_INQUIRY.message);
      expect(response.text).not.toContain(NOTE_TEXT);
      expect(response.text).not.toContain('method="post" action="/tickets');
      expect(await auditCount({ action: 'ticket.viewed', actorId: viewerA.id })).toBe(before + 1);
    });
  });

  describe('access log', () => {
    beforeAll(async () => {
      // The agent opens one case of each merchant, from a known address.
      await get(`/tickets/${refs.a2}`, agentSession, AGENT_IP).expect(200);
      await get(`/tickets/${refs.b1}`, agentSession, AGENT_IP).expect(200);
    });

    it("should list an agent's view of the merchant's case with name, role and IP", async () => {
      const event = await testEnv.dataSource.manager.findOneOrFail(AuditEvent, {
        where: { action: 'ticket.viewed', actorId: agent.id, targetId: refs.a2 },
        order: { id: 'DESC' },
      });

      const response = await get('/portal/access-log', adminASession).expect(200);

      expect(event.ip).toBe(AGENT_IP);
      expect(loggedEvents(response.text)).toContain(event.id);
      expect(response.text).toContain(AGENT_IP);
      expect(response.text).toContain('案件を閲覧');
      expect(response.text).toContain('佐藤 &lt;b&gt;一郎&lt;/b&gt;');
      expect(response.text).not.toContain('<b>一郎</b>');
      expect(response.text).toContain('エージェント');
    });

    it("should never list another merchant's events", async () => {
      const otherEvents = await testEnv.dataSource.manager.findBy(AuditEvent, {
        merchantId: tenantB.merchant.id,
      });

      const response = await get('/portal/access-log', adminASession).expect(200);
      const ofB = await get('/portal/access-log', adminBSession).expect(200);

      expect(otherEvents.length).toBeGreaterThan(0);
      const listed = loggedEvents(response.text);
      for (const event of otherEvents) expect(listed).not.toContain(event.id);
      expect(response.text).not.toContain(refs.b1);
      expect(ofB.text).toContain(refs.b1);
      expect(ofB.text).not.toContain(refs.a2);
    });

    it("should not offer or show another merchant's users", async () => {
      // Merchant B's admin viewed its own case; A's log must not name them even if asked by id.
      await get(`/portal/cases/${refs.b1}`, adminBSession).expect(200);

      const listed = await get('/portal/access-log', adminASession).expect(200);
      const asked = await get(`/portal/access-log?user=${adminB.id}`, adminASession).expect(200);

      expect(listed.text).not.toContain('もみじ 管理者');
      expect(loggedEvents(asked.text)).toEqual([]);
    });

    it('should filter by user', async () => {
      const byViewer = await get(`/portal/access-log?user=${viewerA.id}`, adminASession).expect(
        200,
      );
      const viewerEvents = await testEnv.dataSource.manager.findBy(AuditEvent, {
        merchantId: tenantA.merchant.id,
        actorId: viewerA.id,
      });

      expect(viewerEvents.length).toBeGreaterThan(0);
      expect(loggedEvents(byViewer.text).sort((a, b) => a - b)).toEqual(
        viewerEvents.map((event) => event.id).sort((a, b) => a - b),
      );
      expect(byViewer.text).not.toContain(AGENT_IP);
    });

    it('should filter by Tokyo date range and page by 50', async () => {
      // 55 old views by the agent on 2024-03-10 (Tokyo); one on 2024-03-09 23:30 Tokyo.
      const base = new Date('2024-03-10T00:30:00+09:00').getTime();
      const row = (at: Date, ip = '192.0.2.1') => ({
        actorType: 'user' as const,
        actorId: agent.id,
        action: 'ticket.viewed',
        merchantId: tenantA.merchant.id,
        targetType: 'ticket',
        targetId: refs.a1,
        ip,
        detail: null,
        createdAt: at,
      });
      const rows = Array.from({ length: 55 }, (_, i) => row(new Date(base + i * 60_000)));
      await testEnv.dataSource.manager.insert(AuditEvent, rows);
      await testEnv.dataSource.manager.insert(
        AuditEvent,
        row(new Date('2024-03-09T23:30:00+09:00'), '192.0.2.2'),
      );

      const first = await get(
        '/portal/access-log?from=2024-03-10&to=2024-03-10',
        adminASession,
      ).expect(200);
      const second = await get(
        '/portal/access-log?from=2024-03-10&to=2024-03-10&page=2',
        adminASession,
      ).expect(200);
      const dayBefore = await get(
        '/portal/access-log?from=2024-03-09&to=2024-03-09',
        adminASession,
      ).expect(200);

      expect(loggedEvents(first.text)).toHaveLength(50);
      expect(loggedEvents(second.text)).toHaveLength(5);
      expect(first.text).toContain('from=2024-03-10&amp;to=2024-03-10&amp;page=2');
      expect(first.text).not.toContain('192.0.2.2');
      expect(loggedEvents(dayBefore.text)).toHaveLength(1);
      expect(dayBefore.text).toContain('192.0.2.2');
    });

    it('should refuse a bad date or date range with 400 and list nothing', async () => {
      const bad = await get('/portal/access-log?from=2024-02-30', adminASession).expect(400);
      const reversed = await get(
        '/portal/access-log?from=2024-03-10&to=2024-03-01',
        adminASession,
      ).expect(400);
      const badUser = await get('/portal/access-log?user=abc', adminASession).expect(400);

      for (const response of [bad, reversed, badUser]) {
        expect(response.text).toContain('field__error');
        expect(loggedEvents(response.text)).toEqual([]);
      }
    });
  });

  describe('answering a question to the merchant', () => {
    const postAnswer = (reference: string, session: LoggedIn, fields: Record<string, string>) =>
      request(server())
        .post(`/portal/cases/${reference}/answer`)
        .set('Cookie', session.cookie)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: session.csrfToken, ...fields });

    it("should take the merchant's answer while the ticket waits on it and return the ticket to the queue", async () => {
      const reference = await submitInquiry(tenantA);
      await testEnv.dataSource.manager.update(
        Ticket,
        { reference },
        { status: 'pending_merchant' },
      );
      const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
      const page = await get(`/portal/cases/${reference}`, adminASession).expect(200);
      expect(page.text).toContain(`/portal/cases/${reference}/answer`);

      // Empty answer: 400, the ticket still waits on the merchant.
      await postAnswer(reference, adminASession, {
        version: String(ticket.version),
        body: '  ',
      }).expect(400);
      expect((await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference })).status).toBe(
        'pending_merchant',
      );

      await postAnswer(reference, adminASession, {
        version: String(ticket.version),
        body: '<b>該当注文は</b>キャンセル済みです。',
      }).expect(303);
      const after = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
      expect(after.status).toBe('open');
      await expect(
        auditCount({ action: 'ticket.merchant_answered', actorId: adminA.id }),
      ).resolves.toBe(1);
      const shown = await get(`/portal/cases/${reference}`, adminASession).expect(200);
      expect(shown.text).toContain('&lt;b&gt;該当注文は&lt;/b&gt;キャンセル済みです。');

      // Not waiting any more: a second answer is refused with 409.
      await postAnswer(reference, adminASession, {
        version: String(after.version),
        body: 'もう一度',
      }).expect(409);
    });

    it("should answer another merchant's ticket with 404 and a staff user with 403", async () => {
      await testEnv.dataSource.manager.update(
        Ticket,
        { reference: refs.b1 },
        { status: 'pending_merchant' },
      );
      await postAnswer(refs.b1, adminASession, { body: 'x' }).expect(404);
      await postAnswer(refs.b1, adminStaffSession, { body: 'x' }).expect(403);
      expect(
        (await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference: refs.b1 })).status,
      ).toBe('pending_merchant');
    });
  });
});
