import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { ErrorCode } from '@madoguchi/common';
import { Ticket, TicketClaimService, type TicketChangeResult } from '@madoguchi/tickets';
import { createTestUser } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import {
  auditRows,
  createTestTicket,
  scopeOf,
  startTicketServices,
  testTicket,
} from '../support/ticket-desk-test';

const actor = (user: User) => ({ userId: user.id, ip: '198.51.100.7' });

describe(`ticket claims (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let claims: TicketClaimService;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await startTicketServices(testEnv);
    claims = moduleRef.get(TicketClaimService);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  it('should never give one ticket to two agents when eight agents take concurrently', async () => {
    const tenant = await createTestTenant(testEnv.dataSource);
    const references: string[] = [];
    for (let i = 0; i < 20; i++)
      references.push((await createTestTicket(moduleRef, tenant)).ticket.reference);
    const agents: User[] = [];
    for (let i = 0; i < 8; i++)
      agents.push(
        await createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [tenant.queue.id] }),
      );
    const taken = new Map<number, TicketChangeResult[]>(agents.map((agent) => [agent.id, []]));

    // Each agent runs three "take next" loops side by side until the queue is empty: 24 racing claimants.
    await Promise.all(
      agents.flatMap((agent) =>
        Array.from({ length: 3 }, async () => {
          const scope = await scopeOf(moduleRef, agent);
          for (;;) {
            const result = await claims.takeNext(scope, tenant.queue.id, actor(agent));
            if (!result) return;
            taken.get(agent.id)?.push(result);
          }
        }),
      ),
    );

    const all = [...taken.values()].flat();
    expect(all).toHaveLength(20);
    expect(new Set(all.map((result) => result.reference))).toEqual(new Set(references));
    for (const [agentId, results] of taken) {
      for (const result of results) {
        expect(result.assigneeId).toBe(agentId);
        const stored = await testTicket(moduleRef, result.reference);
        expect(stored.assigneeId).toBe(agentId);
        // Created at version 1, claimed once.
        expect(stored.version).toBe(2);
      }
    }
    const audits = (await auditRows(moduleRef, AUDIT_ACTIONS.ticketAssigned)).filter((row) =>
      references.includes(row.targetId as string),
    );
    expect(audits).toHaveLength(20);
    expect(new Set(audits.map((row) => row.targetId)).size).toBe(20);
    for (const row of audits) {
      const holder = all.find((result) => result.reference === row.targetId);
      expect(row.actorId).toBe(holder?.assigneeId);
      expect(row.ip).toBe('198.51.100.7');
    }
  });

  describe('take next', () => {
    let tenant: TestTenant;
    let agent: User;

    beforeEach(async () => {
      tenant = await createTestTenant(testEnv.dataSource);
      agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
    });

    it('should give the ticket with the earliest SLA deadline first and skip tickets not waiting on an agent', async () => {
      const later = (await createTestTicket(moduleRef, tenant)).ticket;
      const sooner = (await createTestTicket(moduleRef, tenant)).ticket;
      const waiting = (await createTestTicket(moduleRef, tenant)).ticket;
      const tickets = testEnv.dataSource.getRepository(Ticket);
      await tickets.update({ id: sooner.id }, { slaDueAt: new Date(Date.now() + 60_000) });
      await tickets.update(
        { id: waiting.id },
        { slaDueAt: new Date(Date.now() + 1_000), status: 'pending_customer' },
      );
      const scope = await scopeOf(moduleRef, agent);

      expect((await claims.takeNext(scope, tenant.queue.id, actor(agent)))?.reference).toBe(
        sooner.reference,
      );
      expect((await claims.takeNext(scope, tenant.queue.id, actor(agent)))?.reference).toBe(
        later.reference,
      );
      await expect(claims.takeNext(scope, tenant.queue.id, actor(agent))).resolves.toBeNull();
    });

    it('should return 404 to an agent who is not a member of the queue and claim nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const outsider = await createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [] });

      await expect(
        claims.takeNext(await scopeOf(moduleRef, outsider), tenant.queue.id, actor(outsider)),
      ).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      await expect(testTicket(moduleRef, ticket.reference)).resolves.toMatchObject({
        assigneeId: null,
        version: 1,
      });
    });

    it('should refuse a merchant user', async () => {
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      await expect(
        claims.takeNext(await scopeOf(moduleRef, viewer), tenant.queue.id, actor(viewer)),
      ).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
      });
    });
  });

  describe('assign and release', () => {
    let tenant: TestTenant;
    let supervisor: User;
    let member: User;

    beforeEach(async () => {
      tenant = await createTestTenant(testEnv.dataSource);
      supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
      member = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
    });

    it('should assign, reassign and release with audit events', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const other = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const scope = await scopeOf(moduleRef, supervisor);

      const assigned = await claims.assign(
        scope,
        ticket.reference,
        member.id,
        1,
        actor(supervisor),
      );
      expect(assigned).toEqual({
        reference: ticket.reference,
        status: 'new',
        version: 2,
        assigneeId: member.id,
      });
      const reassigned = await claims.assign(
        scope,
        ticket.reference,
        other.id,
        2,
        actor(supervisor),
      );
      expect(reassigned.assigneeId).toBe(other.id);
      const released = await claims.assign(scope, ticket.reference, null, 3, actor(supervisor));
      expect(released).toMatchObject({ assigneeId: null, version: 4 });

      const assignedAudits = await auditRows(
        moduleRef,
        AUDIT_ACTIONS.ticketAssigned,
        ticket.reference,
      );
      expect(assignedAudits.map((row) => JSON.parse(row.detail as string).assigneeId)).toEqual([
        member.id,
        other.id,
      ]);
      expect(
        assignedAudits.every((row) => row.actorId === supervisor.id && row.ip === '198.51.100.7'),
      ).toBe(true);
      await expect(
        auditRows(moduleRef, AUDIT_ACTIONS.ticketReleased, ticket.reference),
      ).resolves.toHaveLength(1);
    });

    it('should refuse a stale version with 409 and change nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const scope = await scopeOf(moduleRef, supervisor);
      await claims.assign(scope, ticket.reference, member.id, 1, actor(supervisor));

      await expect(
        claims.assign(scope, ticket.reference, null, 1, actor(supervisor)),
      ).rejects.toMatchObject({
        code: ErrorCode.StaleVersion,
      });
      await expect(testTicket(moduleRef, ticket.reference)).resolves.toMatchObject({
        assigneeId: member.id,
        version: 2,
      });
    });

    it('should refuse an agent who is not a member of the queue, and a merchant user, as assignee', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const outsider = await createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [] });
      const merchantUser = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      const scope = await scopeOf(moduleRef, supervisor);

      for (const assignee of [outsider.id, merchantUser.id, 999_999]) {
        await expect(
          claims.assign(scope, ticket.reference, assignee, undefined, actor(supervisor)),
        ).rejects.toMatchObject({
          code: ErrorCode.ValidationFailed,
          fieldErrors: [expect.objectContaining({ field: 'assigneeId' })],
        });
      }
      await expect(testTicket(moduleRef, ticket.reference)).resolves.toMatchObject({
        assigneeId: null,
        version: 1,
      });
      await expect(
        auditRows(moduleRef, AUDIT_ACTIONS.ticketAssigned, ticket.reference),
      ).resolves.toHaveLength(0);
    });

    it('should let only one of two concurrent assignments with the same version apply', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const other = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const scope = await scopeOf(moduleRef, supervisor);

      const outcomes = await Promise.allSettled([
        claims.assign(scope, ticket.reference, member.id, 1, actor(supervisor)),
        claims.assign(scope, ticket.reference, other.id, 1, actor(supervisor)),
      ]);

      const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({
        code: ErrorCode.StaleVersion,
      });
      const stored = await testEnv.dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: ticket.id });
      expect(stored.version).toBe(2);
      expect(stored.assigneeId).toBe(
        (fulfilled[0] as PromiseFulfilledResult<TicketChangeResult>).value.assigneeId,
      );
      await expect(
        auditRows(moduleRef, AUDIT_ACTIONS.ticketAssigned, ticket.reference),
      ).resolves.toHaveLength(1);
    });
  });
});
