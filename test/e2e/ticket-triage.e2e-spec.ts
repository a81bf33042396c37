import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { FieldCipher } from '@madoguchi/crypto';
import { type TenantScope } from '@madoguchi/tenancy';
import {
  InquiryService,
  Message,
  QueueService,
  SlaPolicy,
  SlaPolicyService,
  Ticket,
  TicketClaimService,
  TICKET_PRIORITY_RANK,
  TicketTriageService,
  TicketWorkService,
} from '@madoguchi/tickets';
import { createTestUser } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import {
  auditRows,
  createTestTicket,
  scopeOf,
  startTicketServices,
  TEST_INQUIRY,
  testTicket,
} from '../support/ticket-desk-test';

const HOUR = 3_600_000;
const IP = '192.0.2.15';

describe(`triage: priority order, take-next, SLA policies, the list's triage columns (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let queues: QueueService;
  let claims: TicketClaimService;
  let work: TicketWorkService;
  let calendar: BusinessCalendar;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await startTicketServices(testEnv);
    dataSource = moduleRef.get(DataSource);
    queues = moduleRef.get(QueueService);
    claims = moduleRef.get(TicketClaimService);
    work = moduleRef.get(TicketWorkService);
    calendar = moduleRef.get(BusinessCalendar);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  async function agentOf(tenant: TestTenant): Promise<{ agent: User; scope: TenantScope }> {
    const agent = await createTestUser(dataSource, { role: 'agent', queueIds: [tenant.queue.id] });
    return { agent, scope: await scopeOf(moduleRef, agent) };
  }

  describe('priority then SLA due', () => {
    let tenant: TestTenant;
    let agent: User;
    let scope: TenantScope;
    const refs: Record<string, string> = {};

    beforeAll(async () => {
      tenant = await createTestTenant(dataSource);
      ({ agent, scope } = await agentOf(tenant));
      const now = Date.now();
      // Six normal tickets due soon, then an urgent one due last: the "6th of 10".
      for (let n = 0; n < 6; n++) {
        const { ticket } = await createTestTicket(moduleRef, tenant);
        await dataSource
          .getRepository(Ticket)
          .update({ id: ticket.id }, { slaDueAt: new Date(now + (n + 1) * HOUR) });
        refs[`normal${n}`] = ticket.reference;
      }
      const make = async (name: string, dueInHours: number) => {
        const { ticket } = await createTestTicket(moduleRef, tenant);
        await dataSource
          .getRepository(Ticket)
          .update({ id: ticket.id }, { slaDueAt: new Date(now + dueInHours * HOUR) });
        refs[name] = ticket.reference;
        return ticket;
      };
      await make('urgent', 30);
      await make('high', 20);
      await make('low', 0.5);
      // Changed through the service: the rank is written with the priority.
      for (const [name, priority] of [
        ['urgent', 'urgent'],
        ['high', 'high'],
        ['low', 'low'],
      ] as const) {
        await work.update(scope, refs[name], { priority }, { userId: agent.id, ip: IP });
        // Keep the test's due times (the change recomputed them from the policy).
        const ticket = await testTicket(moduleRef, refs[name]);
        const hours = { urgent: 30, high: 20, low: 0.5 }[name];
        await dataSource
          .getRepository(Ticket)
          .update({ id: ticket.id }, { slaDueAt: new Date(now + hours * HOUR) });
      }
    });

    it('should keep priority_rank in step with the priority', async () => {
      for (const name of ['urgent', 'high', 'low', 'normal0'] as const) {
        const ticket = await testTicket(moduleRef, refs[name]);
        expect(ticket.priorityRank).toBe(TICKET_PRIORITY_RANK[ticket.priority]);
      }
      expect((await testTicket(moduleRef, refs.urgent)).priorityRank).toBe(3);
    });

    it('should list urgent first, then high, then normal by SLA due, then low', async () => {
      const page = await queues.listTickets(
        scope,
        tenant.queue.id,
        {},
        { page: 1, pageSize: 25 },
        agent.id,
      );
      expect(page.items.map((item) => item.reference)).toEqual([
        refs.urgent,
        refs.high,
        ...[0, 1, 2, 3, 4, 5].map((n) => refs[`normal${n}`]),
        refs.low,
      ]);
    });

    it('should take the urgent ticket next, then the high one, although others are due sooner', async () => {
      const actor = { userId: agent.id, ip: IP };
      await expect(claims.takeNext(scope, tenant.queue.id, actor)).resolves.toMatchObject({
        reference: refs.urgent,
      });
      await expect(claims.takeNext(scope, tenant.queue.id, actor)).resolves.toMatchObject({
        reference: refs.high,
      });
      await expect(claims.takeNext(scope, tenant.queue.id, actor)).resolves.toMatchObject({
        reference: refs.normal0,
      });
    });
  });

  describe('SLA policies', () => {
    let tenant: TestTenant;
    let agent: User;
    let scope: TenantScope;
    let policies: SlaPolicyService;

    beforeAll(async () => {
      tenant = await createTestTenant(dataSource);
      ({ agent, scope } = await agentOf(tenant));
      policies = moduleRef.get(SlaPolicyService);
      const now = new Date();
      await dataSource.getRepository(SlaPolicy).insert([
        {
          merchantId: tenant.merchant.id,
          priority: 'urgent',
          category: '',
          firstResponseMinutes: 60,
          resolutionMinutes: 240,
          updatedAt: now,
        },
        {
          merchantId: tenant.merchant.id,
          priority: 'urgent',
          category: 'payment',
          firstResponseMinutes: 30,
          resolutionMinutes: 120,
          updatedAt: now,
        },
        {
          merchantId: tenant.merchant.id,
          priority: 'normal',
          category: '',
          firstResponseMinutes: 16 * 60,
          resolutionMinutes: 80 * 60,
          updatedAt: now,
        },
      ]);
    });

    it('should look up the category policy first, then the priority policy, then the defaults', async () => {
      const merchantId = tenant.merchant.id;
      const at = new Date('2026-12-07T01:00:00Z'); // Monday 10:00 in Tokyo
      const lookup = (priority: 'urgent' | 'high', category: 'payment' | 'password') =>
        policies.duesFor(dataSource.manager, { merchantId, priority, category }, at);
      await expect(lookup('urgent', 'payment')).resolves.toEqual({
        firstResponseDueAt: calendar.addBusinessHours(at, 0.5),
        resolutionDueAt: calendar.addBusinessHours(at, 2),
      });
      await expect(lookup('urgent', 'password')).resolves.toEqual({
        firstResponseDueAt: calendar.addBusinessHours(at, 1),
        resolutionDueAt: calendar.addBusinessHours(at, 4),
      });
      await expect(lookup('high', 'password')).resolves.toEqual({
        firstResponseDueAt: calendar.addBusinessHours(at, 8),
        resolutionDueAt: calendar.addBusinessHours(at, 40),
      });
      // Another merchant's policies never apply.
      const other = await createTestTenant(dataSource);
      await expect(
        policies.duesFor(
          dataSource.manager,
          { merchantId: other.merchant.id, priority: 'urgent', category: 'payment' },
          at,
        ),
      ).resolves.toEqual({
        firstResponseDueAt: calendar.addBusinessHours(at, 8),
        resolutionDueAt: calendar.addBusinessHours(at, 40),
      });
    });

    it('should give a new ticket the merchant’s policy for the default priority', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant, { category: 'password' });
      expect(ticket.priority).toBe('normal');
      expect(ticket.priorityRank).toBe(1);
      expect(ticket.firstResponseDueAt).toEqual(calendar.addBusinessHours(ticket.createdAt, 16));
      expect(ticket.resolutionDueAt).toEqual(calendar.addBusinessHours(ticket.createdAt, 80));
      expect(ticket.slaDueAt).toEqual(ticket.firstResponseDueAt);
    });

    it('should recompute the due times from the ticket’s birth when the priority or category changes', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant, { category: 'password' });
      const actor = { userId: agent.id, ip: IP };
      await work.update(scope, ticket.reference, { priority: 'urgent' }, actor);
      const urgent = await testTicket(moduleRef, ticket.reference);
      expect(urgent.firstResponseDueAt).toEqual(calendar.addBusinessHours(ticket.createdAt, 1));
      expect(urgent.resolutionDueAt).toEqual(calendar.addBusinessHours(ticket.createdAt, 4));
      expect(urgent.slaDueAt).toEqual(urgent.firstResponseDueAt);
      expect(urgent.priorityRank).toBe(3);
      await work.update(scope, ticket.reference, { category: 'payment' }, actor);
      const payment = await testTicket(moduleRef, ticket.reference);
      expect(payment.slaDueAt).toEqual(calendar.addBusinessHours(ticket.createdAt, 0.5));
      await work.update(scope, ticket.reference, { priority: 'low' }, actor);
      const low = await testTicket(moduleRef, ticket.reference);
      expect(low.slaDueAt).toEqual(calendar.addBusinessHours(ticket.createdAt, 8));
      expect(low.priorityRank).toBe(0);
    });

    it('should tell the shopper the merchant’s first-response target for the default priority', async () => {
      await expect(policies.shopperFirstResponse(tenant.merchant.id)).resolves.toEqual({
        minutes: 16 * 60,
        longestMinutes: 16 * 60,
      });
      const other = await createTestTenant(dataSource);
      await expect(policies.shopperFirstResponse(other.merchant.id)).resolves.toEqual({
        minutes: 8 * 60,
        longestMinutes: 8 * 60,
      });
      const submitted = await moduleRef
        .get(InquiryService)
        .submit(
          { site: tenant.site, merchant: tenant.merchant },
          { ...TEST_INQUIRY, category: 'other' },
          { ip: IP },
        );
      const ticket = await testTicket(moduleRef, submitted.reference);
      expect(submitted.firstResponseDueAt).toEqual(ticket.firstResponseDueAt);
    });
  });

  describe('the triage columns of a list page', () => {
    let tenant: TestTenant;
    let agent: User;
    let scope: TenantScope;
    let triage: TicketTriageService;
    let plain: string;
    let replied: string;
    let withFile: string;

    beforeAll(async () => {
      tenant = await createTestTenant(dataSource);
      ({ agent, scope } = await agentOf(tenant));
      triage = moduleRef.get(TicketTriageService);
      plain = (await createTestTicket(moduleRef, tenant)).ticket.reference;
      const second = (await createTestTicket(moduleRef, tenant, { name: '佐藤 花子' })).ticket;
      replied = second.reference;
      await work.reply(
        scope,
        replied,
        { body: 'ご連絡ありがとうございます。確認します。' },
        { userId: agent.id, ip: IP },
      );
      const cipher = moduleRef.get(FieldCipher);
      await dataSource.getRepository(Message).insert({
        ticketId: second.id,
        kind: 'customer',
        authorUserId: null,
        body: cipher.encrypt('\n追加です。カードの明細に見覚えのない請求があります。\n二行目'),
        deliveryState: null,
        createdAt: new Date(),
      });
      const submitted = await moduleRef.get(InquiryService).submit(
        { site: tenant.site, merchant: tenant.merchant },
        { ...TEST_INQUIRY, message: '画像を添付します。' },
        {
          ip: IP,
          attachments: [
            { filename: 'memo.txt', contentType: 'text/plain', bytes: Buffer.from('memo') },
          ],
        },
      );
      withFile = submitted.reference;
    });

    it('should show the requester, the latest customer line, the replied flag and the attachment marker', async () => {
      const page = await queues.listTickets(
        scope,
        tenant.queue.id,
        {},
        { page: 1, pageSize: 25 },
        agent.id,
      );
      const rows = await triage.triage(
        scope,
        page.items,
        { userId: agent.id, ip: IP },
        {
          list: 'queue',
          queueId: tenant.queue.id,
        },
      );
      const by = new Map(rows.map((row) => [row.reference, row.triage]));
      expect(by.get(plain)).toEqual({
        requesterName: TEST_INQUIRY.name,
        latestCustomerLine: TEST_INQUIRY.message,
        customerReplied: false,
        hasAttachments: false,
      });
      expect(by.get(replied)).toEqual({
        requesterName: '佐藤 花子',
        latestCustomerLine: '追加です。カードの明細に見覚えのない請求があります。',
        customerReplied: true,
        hasAttachments: false,
      });
      expect(by.get(withFile)).toMatchObject({ customerReplied: false, hasAttachments: true });
    });

    it('should audit one ticket.list_viewed per page view, naming the page’s tickets', async () => {
      const before = (await auditRows(moduleRef, AUDIT_ACTIONS.ticketListViewed)).length;
      const page = await queues.listTickets(
        scope,
        tenant.queue.id,
        {},
        { page: 1, pageSize: 25 },
        agent.id,
      );
      await triage.triage(
        scope,
        page.items,
        { userId: agent.id, ip: IP },
        {
          list: 'queue',
          queueId: tenant.queue.id,
        },
      );
      const events = await auditRows(moduleRef, AUDIT_ACTIONS.ticketListViewed);
      expect(events).toHaveLength(before + 1);
      const event = events[events.length - 1];
      expect(event).toMatchObject({
        actorId: agent.id,
        merchantId: tenant.merchant.id,
        targetType: 'queue',
        targetId: String(tenant.queue.id),
        ip: IP,
      });
      const detail = JSON.parse(event.detail as string) as { list: string; references: string[] };
      expect(detail.list).toBe('queue');
      expect([...detail.references].sort()).toEqual([plain, replied, withFile].sort());
      // Names never go into the audit trail.
      expect(event.detail).not.toContain('佐藤');
    });

    it('should decrypt nothing and audit nothing for a merchant user', async () => {
      const viewer = await createTestUser(dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      const merchantScope = await scopeOf(moduleRef, viewer);
      const before = (await auditRows(moduleRef, AUDIT_ACTIONS.ticketListViewed)).length;
      const page = await queues.listTickets(
        merchantScope,
        null,
        {},
        { page: 1, pageSize: 25 },
        viewer.id,
      );
      const rows = await triage.triage(
        merchantScope,
        page.items,
        { userId: viewer.id, ip: IP },
        {
          list: 'search',
        },
      );
      expect(rows.length).toBe(3);
      for (const row of rows) {
        expect(row.triage.requesterName).toBeNull();
        expect(row.triage.latestCustomerLine).toBeNull();
      }
      expect(await auditRows(moduleRef, AUDIT_ACTIONS.ticketListViewed)).toHaveLength(before);
    });
  });
});
