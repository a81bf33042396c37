import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { ErrorCode } from '@madoguchi/common';
import {
  CannedResponseService,
  dueSoonThreshold,
  QueueService,
  Ticket,
  TicketClaimService,
  type TicketListFilter,
  TicketSearchService,
} from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { createTestUser } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import {
  auditRows,
  createTestTicket,
  scopeOf,
  startTicketServices,
} from '../support/ticket-desk-test';

const IP = '192.0.2.77';
const HOUR = 3_600_000;

describe(`queues, search and canned responses (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let queues: QueueService;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await startTicketServices(testEnv);
    queues = moduleRef.get(QueueService);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  describe('queue views', () => {
    let tenant: TestTenant;
    let agent: User;
    let scope: TenantScope;
    let refs: Record<'breached' | 'soon' | 'track' | 'resolved' | 'mine', string>;
    const now = new Date();

    beforeAll(async () => {
      tenant = await createTestTenant(testEnv.dataSource);
      agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      scope = await scopeOf(moduleRef, agent);
      const make = async (overrides: Partial<Ticket>, input = {}) => {
        const { ticket } = await createTestTicket(moduleRef, tenant, input);
        await testEnv.dataSource.getRepository(Ticket).update({ id: ticket.id }, overrides);
        return ticket.reference;
      };
      const threshold = dueSoonThreshold(now, moduleRef.get(BusinessCalendar));
      refs = {
        breached: await make({ slaDueAt: new Date(now.getTime() - HOUR) }, { category: 'payment' }),
        soon: await make({ slaDueAt: new Date(threshold.getTime() - 60_000), status: 'open' }),
        track: await make({
          slaDueAt: new Date(threshold.getTime() + 10 * HOUR),
          status: 'pending_customer',
        }),
        resolved: await make({ slaDueAt: null, status: 'resolved' }),
        mine: await make({
          slaDueAt: new Date(threshold.getTime() + 20 * HOUR),
          assigneeId: agent.id,
        }),
      };
    });

    it('should count tickets by status, SLA state and assignment in each queue', async () => {
      const [summary] = await queues.summaries(scope, now);
      expect(summary).toMatchObject({
        id: tenant.queue.id,
        merchantId: tenant.merchant.id,
        merchantName: tenant.merchant.name,
      });
      expect(summary.countsByStatus).toEqual({
        new: 2,
        open: 1,
        pending_customer: 1,
        pending_merchant: 0,
        resolved: 1,
        closed: 0,
        handed_back: 0,
      });
      expect(summary.countsBySla).toEqual({ breached: 1, due_soon: 1, on_track: 2 });
      expect(summary.unassigned).toBe(3);
    });

    it('should list active tickets most urgent first with their SLA state and no personal data', async () => {
      const page = await queues.listTickets(
        scope,
        tenant.queue.id,
        {},
        { page: 1, pageSize: 25 },
        agent.id,
        now,
      );
      expect(page.total).toBe(4);
      expect(page.items.map((item) => item.reference)).toEqual([
        refs.breached,
        refs.soon,
        refs.track,
        refs.mine,
      ]);
      expect(page.items.map((item) => item.slaState)).toEqual([
        'breached',
        'due_soon',
        'on_track',
        'on_track',
      ]);
      expect(page.items[3].assignee).toEqual({ id: agent.id, displayName: agent.displayName });
      expect(page.items[0]).toMatchObject({
        merchantName: tenant.merchant.name,
        siteName: tenant.site.displayName,
      });
      expect(JSON.stringify(page.items)).not.toMatch(/example\.jp|山田/);
    });

    it('should put finished tickets last when they are asked for', async () => {
      const page = await queues.listTickets(
        scope,
        tenant.queue.id,
        { status: ['resolved', 'new'] },
        { page: 1, pageSize: 25 },
        agent.id,
        now,
      );
      expect(page.items.map((item) => item.reference)).toEqual([
        refs.breached,
        refs.mine,
        refs.resolved,
      ]);
      expect(page.items[2].slaState).toBe('none');
    });

    it('should filter by category, channel and assignee', async () => {
      const list = (filter: object) =>
        queues
          .listTickets(scope, tenant.queue.id, filter, { page: 1, pageSize: 25 }, agent.id, now)
          .then((page) => page.items.map((item) => item.reference));
      await expect(list({ category: 'payment' })).resolves.toEqual([refs.breached]);
      await expect(list({ assignee: 'me' })).resolves.toEqual([refs.mine]);
      await expect(list({ assignee: agent.id })).resolves.toEqual([refs.mine]);
      await expect(list({ assignee: 'unassigned' })).resolves.toEqual([
        refs.breached,
        refs.soon,
        refs.track,
      ]);
      await expect(list({ channel: 'phone' })).resolves.toEqual([]);
      await expect(list({ status: ['bogus'] })).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
    });

    // The total is counted by its own query (without the list's joins, for the index): it must
    // still apply every filter the page does.
    it('should count exactly the tickets each filter lists', async () => {
      const filters: TicketListFilter[] = [
        {},
        { category: 'payment' },
        { assignee: 'me' },
        { assignee: 'unassigned' },
        { channel: 'phone' },
        { status: ['resolved', 'new'] },
        { status: ['resolved'], assignee: 'unassigned' },
      ];
      for (const filter of filters) {
        const page = await queues.listTickets(
          scope,
          tenant.queue.id,
          filter,
          { page: 1, pageSize: 25 },
          agent.id,
          now,
        );
        expect({ filter, total: page.total }).toEqual({ filter, total: page.items.length });
      }
      const all = await queues.listTickets(
        scope,
        null,
        { status: ['new', 'open', 'resolved'] },
        { page: 1, pageSize: 25 },
        agent.id,
        now,
      );
      expect(all.total).toBe(4);
      expect(all.items).toHaveLength(4);
    });

    it('should page with a total and cap the page size at 100', async () => {
      const second = await queues.listTickets(
        scope,
        tenant.queue.id,
        {},
        { page: 2, pageSize: 3 },
        agent.id,
        now,
      );
      expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(second.items.map((item) => item.reference)).toEqual([refs.mine]);
      const capped = await queues.listTickets(
        scope,
        tenant.queue.id,
        {},
        { page: 1, pageSize: 5000 },
        agent.id,
        now,
      );
      expect(capped.pageSize).toBe(100);
    });

    it('should return 404 for an unknown queue', async () => {
      await expect(
        queues.listTickets(scope, 987_654, {}, { page: 1, pageSize: 10 }, agent.id),
      ).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });

    it('should report tickets changed since a point in time', async () => {
      const since = new Date(Date.now() - 5_000);
      await testEnv.dataSource
        .getRepository(Ticket)
        .update({ reference: refs.track }, { updatedAt: new Date(Date.now() - 60_000) });
      const before = await queues.changesSince(scope, since);
      expect(before.references).not.toContain(refs.track);
      await moduleRef
        .get(TicketClaimService)
        .assign(scope, refs.track, agent.id, undefined, { userId: agent.id, ip: IP });
      const after = await queues.changesSince(scope, since);
      expect(after.references).toContain(refs.track);
      expect(after.queueIds).toEqual([tenant.queue.id]);
      expect(after.latest.getTime()).toBeGreaterThanOrEqual(since.getTime());
    });
  });

  describe('search', () => {
    let tenant: TestTenant;
    let agent: User;
    let scope: TenantScope;
    let reference: string;

    beforeAll(async () => {
      tenant = await createTestTenant(testEnv.dataSource);
      agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      scope = await scopeOf(moduleRef, agent);
      reference = (
        await createTestTicket(moduleRef, tenant, {
          email: 'Hanako.Suzuki@Example.co.jp',
          phone: '090-1234-5678',
          orderNumber: 'ORD-77-ABC',
        })
      ).ticket.reference;
      await createTestTicket(moduleRef, tenant, {
        email: 'someone.else@example.co.jp',
        phone: '03-1111-2222',
        orderNumber: 'X-1',
      });
    });

    it.each([
      ['the reference', () => reference],
      ['the reference typed loosely', () => reference.toLowerCase().replace('-', ' ')],
      ['the email in another case', () => 'hanako.suzuki@example.CO.JP'],
      ['the phone with hyphens', () => '090-1234-5678'],
      ['the phone in full-width digits', () => '０９０１２３４５６７８'],
      ['the phone in international form', () => '+81 90-1234-5678'],
      ['the order number', () => 'ord77abc'],
    ])('should find the ticket by %s', async (_label, query) => {
      const results = await moduleRef
        .get(TicketSearchService)
        .search(scope, query(), { userId: agent.id, ip: IP });
      expect(results.map((item) => item.reference)).toEqual([reference]);
    });

    it('should audit the kind of query, never its value', async () => {
      await moduleRef
        .get(TicketSearchService)
        .search(scope, 'hanako.suzuki@example.co.jp', { userId: agent.id, ip: IP });
      const rows = await auditRows(moduleRef, AUDIT_ACTIONS.ticketSearched);
      const last = rows[rows.length - 1];
      expect(last).toMatchObject({ actorId: agent.id, ip: IP });
      expect(JSON.parse(last.detail as string)).toEqual({ kinds: ['email'], results: 1 });
      expect(rows.map((row) => row.detail).join()).not.toMatch(/hanako|1234|77/i);
    });

    it('should refuse an empty query', async () => {
      await expect(
        moduleRef.get(TicketSearchService).search(scope, '  ', { userId: agent.id, ip: IP }),
      ).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
    });
  });

  describe('canned responses', () => {
    it('should list global and the merchant’s own, fill placeholders, and validate and audit writes', async () => {
      const tenant = await createTestTenant(testEnv.dataSource, { siteName: 'さくら雑貨店' });
      const supervisor = await createTestUser(testEnv.dataSource, {
        role: 'supervisor',
        displayName: '佐藤 次郎',
      });
      const scope = await scopeOf(moduleRef, supervisor);
      const as = { userId: supervisor.id, ip: IP };
      const canned = moduleRef.get(CannedResponseService);
      const global = await canned.create(
        scope,
        { merchantId: null, title: '一次回答', body: '{{name}} 様 {{reference}} {{unknown}}' },
        as,
      );
      const own = await canned.create(
        scope,
        {
          merchantId: tenant.merchant.id,
          title: '加盟店向け',
          body: '{{merchant}} / {{site}} / {{agent}}',
        },
        as,
      );
      const { ticket } = await createTestTicket(moduleRef, tenant, { name: '鈴木 花子' });

      const listed = (await canned.listFor(scope, tenant.merchant.id)).map((item) => item.id);
      expect(listed).toEqual(expect.arrayContaining([global.id, own.id]));
      await expect(canned.renderFor(scope, ticket.reference, global.id, as)).resolves.toBe(
        `鈴木 花子 様 ${ticket.reference} {{unknown}}`,
      );
      await expect(canned.renderFor(scope, ticket.reference, own.id, as)).resolves.toBe(
        `${tenant.merchant.name} / さくら雑貨店 / 佐藤 次郎`,
      );
      // Filling in the requester's name is a view of personal data: audited like the detail.
      const viewed = await auditRows(moduleRef, AUDIT_ACTIONS.ticketViewed, ticket.reference);
      expect(viewed).toHaveLength(2);
      for (const row of viewed) {
        expect(row).toMatchObject({
          actorType: 'user',
          actorId: supervisor.id,
          merchantId: tenant.merchant.id,
        });
        expect(JSON.parse(row.detail ?? 'null')).toEqual({ via: 'canned_response' });
      }
      // Each rendering is a view of the requester's name, recorded with the actor's IP.
      expect(viewed.map((row) => row.ip)).toEqual([IP, IP]);

      await expect(
        canned.create(scope, { merchantId: null, title: 'あ'.repeat(201), body: '' }, as),
      ).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        fieldErrors: [
          expect.objectContaining({ field: 'title' }),
          expect.objectContaining({ field: 'body' }),
        ],
      });
      const updated = await canned.update(scope, own.id, { title: '改題', body: '本文' }, as);
      expect(updated).toMatchObject({ id: own.id, title: '改題', body: '本文' });
      await canned.remove(scope, own.id, as);
      await expect(canned.renderFor(scope, ticket.reference, own.id, as)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      await expect(auditRows(moduleRef, AUDIT_ACTIONS.cannedResponseSaved)).resolves.toHaveLength(
        3,
      );
      await expect(auditRows(moduleRef, AUDIT_ACTIONS.cannedResponseDeleted)).resolves.toHaveLength(
        1,
      );
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      await expect(
        canned.create(
          await scopeOf(moduleRef, viewer),
          { merchantId: null, title: 't', body: 'b' },
          as,
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
      });
    });
  });
});
