import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { createTestTicket, startTicketServices } from '../support/ticket-desk-test';

/** The supervisors' dashboard and audit trail on a known data set. */
describe(`supervisor dashboard and audit trail (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let services: TestingModule;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent1: User;
  let agent2: User;
  let supervisorSession: LoggedIn;
  let adminSession: LoggedIn;
  let agentSession: LoggedIn;
  let merchantAdminSession: LoggedIn;
  let viewerSession: LoggedIn;

  const get = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer()).get(path).set('cookie', session.cookie);

  /** A web ticket through the intake service, then set to the state the test needs. */
  async function ticketIn(tenant: TestTenant, fields: Partial<Ticket>): Promise<Ticket> {
    const { ticket } = await createTestTicket(services, tenant);
    await testEnv.dataSource.getRepository(Ticket).update({ id: ticket.id }, fields);
    return ticket;
  }

  function cell(page: string, rowAttr: string, col: string): number | null {
    const start = page.indexOf(rowAttr);
    if (start < 0) return null;
    const row = page.slice(start, page.indexOf('</tr>', start));
    const match = new RegExp(`data-col="${col}">(\\d+)<`).exec(row);
    return match ? Number(match[1]) : null;
  }

  const auditRowCount = (page: string) => (page.match(/data-audit-id="/g) ?? []).length;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'A商店 <b>' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'B商店' });
    services = await startTicketServices(testEnv);
    desk = await startDeskApp(testEnv);
    agent1 = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id, tenantB.queue.id],
      displayName: '担当 一郎',
    });
    agent2 = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantB.queue.id],
      displayName: '担当 二郎',
    });
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    const viewer = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    supervisorSession = await loginAs(desk, supervisor.email);
    adminSession = await loginAs(desk, admin.email);
    agentSession = await loginAs(desk, agent1.email);
    merchantAdminSession = await loginAs(desk, merchantAdmin.email);
    viewerSession = await loginAs(desk, viewer.email);

    const now = Date.now();
    const minutes = (n: number) => new Date(now + n * 60_000);
    // Merchant A: one breached (agent 1), one on track unassigned, one due soon (agent 1),
    // one resolved today and one resolved yesterday (agent 1, not open).
    await ticketIn(tenantA, { status: 'open', slaDueAt: minutes(-60), assigneeId: agent1.id });
    await ticketIn(tenantA, { status: 'new', slaDueAt: minutes(30 * 24 * 60), assigneeId: null });
    await ticketIn(tenantA, {
      status: 'pending_customer',
      slaDueAt: minutes(10),
      assigneeId: agent1.id,
    });
    await ticketIn(tenantA, {
      status: 'resolved',
      slaDueAt: null,
      resolvedAt: new Date(now),
      assigneeId: agent1.id,
    });
    await ticketIn(tenantA, {
      status: 'closed',
      slaDueAt: null,
      resolvedAt: minutes(-25 * 60),
      assigneeId: agent1.id,
    });
    // Merchant B: one on track (agent 2), one closed.
    await ticketIn(tenantB, {
      status: 'open',
      slaDueAt: minutes(30 * 24 * 60),
      assigneeId: agent2.id,
    });
    await ticketIn(tenantB, { status: 'closed', slaDueAt: null, assigneeId: agent2.id });

    // The audit data set, in March 2026 (far from the rows the logins and intake just wrote).
    const audit = testEnv.dataSource.getRepository(AuditEvent);
    const base = Date.parse('2026-03-10T03:00:00Z');
    await audit.insert(
      Array.from({ length: 60 }, (_, i) => ({
        actorType: 'user' as const,
        actorId: agent1.id,
        action: 'ticket.viewed',
        merchantId: tenantA.merchant.id,
        targetType: 'ticket',
        targetId: `PAGE-${i}`,
        ip: '198.51.100.7',
        detail: null,
        createdAt: new Date(base + i * 1000),
      })),
    );
    await audit.insert([
      {
        actorType: 'user',
        actorId: agent2.id,
        action: 'ticket.note_added',
        merchantId: tenantB.merchant.id,
        targetType: 'ticket',
        targetId: 'LATE-NIGHT',
        ip: '198.51.100.8',
        // 23:30 on 2026-03-11 in Tokyo.
        createdAt: new Date('2026-03-11T14:30:00Z'),
        detail: JSON.stringify({ fields: ['status'] }),
      },
      {
        actorType: 'user',
        actorId: agent2.id,
        action: 'ticket.note_added',
        merchantId: tenantB.merchant.id,
        targetType: 'ticket',
        targetId: 'EARLY-MORNING',
        ip: '198.51.100.8',
        // 00:30 on 2026-03-12 in Tokyo, still the 11th in UTC.
        createdAt: new Date('2026-03-11T15:30:00Z'),
        detail: JSON.stringify({ note: '<script>alert(1)</script>' }),
      },
    ]);
  });

  afterAll(async () => {
    await desk?.close();
    await services?.close();
    await testEnv?.cleanup();
  });

  describe('dashboard', () => {
    it('should count open, breached, due-soon and unassigned tickets per merchant', async () => {
      const page = (await get('/supervisor', supervisorSession).expect(200)).text;
      const a = `data-merchant-id="${tenantA.merchant.id}"`;
      const b = `data-merchant-id="${tenantB.merchant.id}"`;
      expect([cell(page, a, 'open'), cell(page, a, 'breached')]).toEqual([3, 1]);
      expect([cell(page, a, 'dueSoon'), cell(page, a, 'unassigned')]).toEqual([1, 1]);
      expect([cell(page, b, 'open'), cell(page, b, 'breached')]).toEqual([1, 0]);
      expect([cell(page, b, 'dueSoon'), cell(page, b, 'unassigned')]).toEqual([0, 0]);
      expect(page).toMatch(/id="total-open">4</);
      expect(page).toMatch(/id="total-breached">1</);
      expect(page).toMatch(/id="total-due-soon">1</);
      expect(page).toMatch(/id="total-unassigned">1</);
      expect(page).toMatch(/id="total-resolved-today">1</);
    });

    it('should show each agent’s active tickets and tickets resolved today', async () => {
      const page = (await get('/supervisor', adminSession).expect(200)).text;
      const one = `data-user-id="${agent1.id}"`;
      const two = `data-user-id="${agent2.id}"`;
      expect([cell(page, one, 'active'), cell(page, one, 'resolvedToday')]).toEqual([2, 1]);
      expect([cell(page, two, 'active'), cell(page, two, 'resolvedToday')]).toEqual([1, 0]);
      expect(page).toContain('担当 一郎');
    });

    it('should draw an accessible SVG chart with escaped merchant names', async () => {
      const page = (await get('/supervisor', supervisorSession).expect(200)).text;
      expect(page).toMatch(/<svg[^>]*role="img"/);
      expect(page).toContain('<title id="merchant-chart-title">');
      expect(page).toContain('<desc id="merchant-chart-desc">');
      expect(page).toContain('A商店 &lt;b&gt;');
      expect(page).not.toContain('A商店 <b>');
    });

    it('should link 状況 in the nav for supervisors only', async () => {
      expect((await get('/', supervisorSession).expect(200)).text).toContain('href="/supervisor"');
      expect((await get('/', agentSession).expect(200)).text).not.toContain('href="/supervisor"');
    });
  });

  describe('access', () => {
    it.each([
      ['agent', () => agentSession],
      ['merchant_admin', () => merchantAdminSession],
      ['merchant_viewer', () => viewerSession],
    ])(
      'should answer 403 on the dashboard and the audit trail for the role %s',
      async (_, session) => {
        await get('/supervisor', session()).expect(403);
        await get('/supervisor/audit', session()).expect(403);
      },
    );
  });

  describe('audit trail', () => {
    it('should page 50 rows at a time, newest first, with actor names', async () => {
      const query = `action=ticket.viewed&merchantId=${tenantA.merchant.id}`;
      const first = (await get(`/supervisor/audit?${query}`, supervisorSession).expect(200)).text;
      expect(auditRowCount(first)).toBe(50);
      expect(first).toContain('60件中 1〜50件目');
      expect(first.indexOf('PAGE-59')).toBeGreaterThan(0);
      expect(first.indexOf('PAGE-59')).toBeLessThan(first.indexOf('PAGE-58'));
      expect(first).not.toMatch(/PAGE-9(?!\d)/);
      expect(first).toContain('担当 一郎');
      expect(first).toContain('A商店 &lt;b&gt;');
      expect(first).toContain('rel="next"');
      const second = (await get(`/supervisor/audit?${query}&page=2`, supervisorSession).expect(200))
        .text;
      expect(auditRowCount(second)).toBe(10);
      expect(second).toContain('PAGE-0');
      expect(second).not.toContain('PAGE-10');
    });

    it('should narrow by action, merchant, actor and target', async () => {
      const all = (await get('/supervisor/audit', adminSession).expect(200)).text;
      expect(all).toContain('ticket.created');
      const byAction = (
        await get('/supervisor/audit?action=ticket.note_added', adminSession).expect(200)
      ).text;
      expect(auditRowCount(byAction)).toBe(2);
      const byMerchant = (
        await get(`/supervisor/audit?merchantId=${tenantB.merchant.id}`, adminSession).expect(200)
      ).text;
      // Two notes plus the intake's ticket.created rows of merchant B's two tickets.
      expect(byMerchant).toContain('LATE-NIGHT');
      expect(byMerchant).not.toContain('PAGE-');
      const byActor = (
        await get(`/supervisor/audit?actorId=${agent2.id}`, adminSession).expect(200)
      ).text;
      // agent2's login and the two notes.
      expect(byActor).toContain('EARLY-MORNING');
      expect(byActor).not.toContain('PAGE-');
      const byTarget = (await get('/supervisor/audit?target=PAGE-7', adminSession).expect(200))
        .text;
      expect(auditRowCount(byTarget)).toBe(1);
    });

    it('should filter by Tokyo calendar dates, the end date inclusive', async () => {
      const on11 = (
        await get('/supervisor/audit?from=2026-03-11&to=2026-03-11', adminSession).expect(200)
      ).text;
      expect(auditRowCount(on11)).toBe(1);
      expect(on11).toContain('LATE-NIGHT');
      const on12 = (
        await get('/supervisor/audit?from=2026-03-12&to=2026-03-12', adminSession).expect(200)
      ).text;
      expect(auditRowCount(on12)).toBe(1);
      expect(on12).toContain('EARLY-MORNING');
      const march = (
        await get('/supervisor/audit?from=2026-03-01&to=2026-03-31', adminSession).expect(200)
      ).text;
      expect(march).toContain('62件中');
    });

    it('should escape the detail JSON', async () => {
      const page = (await get('/supervisor/audit?target=EARLY-MORNING', adminSession).expect(200))
        .text;
      expect(page).not.toContain('<script>alert(1)</script>');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('should answer 400 with field errors for a bad date, action or id', async () => {
      const badDate = await get('/supervisor/audit?from=2026-02-30', adminSession).expect(400);
      expect(badDate.text).toContain('日付は YYYY-MM-DD で指定してください。');
      expect(auditRowCount(badDate.text)).toBe(0);
      const badRange = await get('/supervisor/audit?from=2026-03-12&to=2026-03-11', adminSession);
      expect(badRange.status).toBe(400);
      expect(badRange.text).toContain('終了日は開始日以降の日付にしてください。');
      const badAction = await get('/supervisor/audit?action=drop.table', adminSession).expect(400);
      expect(badAction.text).toContain('一覧にある操作を選んでください。');
      await get('/supervisor/audit?actorId=abc', adminSession).expect(400);
      await get('/supervisor/audit?merchantId=-1', adminSession).expect(400);
    });
  });
});
