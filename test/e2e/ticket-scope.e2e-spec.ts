import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import type { User } from '@madoguchi/auth';
import { ErrorCode } from '@madoguchi/common';
import {
  CannedResponse,
  CannedResponseService,
  QueueService,
  TicketClaimService,
  TicketSearchService,
  TicketWorkService,
} from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { createTestUser } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import {
  createTestTicket,
  scopeOf,
  startTicketServices,
  testTicket,
} from '../support/ticket-desk-test';

const IP = '192.0.2.10';

/** Tenant isolation at the service level: another merchant's identifiers behave as unknown ones. */
describe(`ticket scope isolation (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let own: TestTenant;
  let other: TestTenant;
  let otherReference: string;
  let otherCanned: CannedResponse;
  let ownReference: string;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await startTicketServices(testEnv);
    own = await createTestTenant(testEnv.dataSource);
    other = await createTestTenant(testEnv.dataSource);
    ownReference = (await createTestTicket(moduleRef, own, { email: 'own@example.jp' })).ticket
      .reference;
    otherReference = (
      await createTestTicket(moduleRef, other, {
        email: 'other@example.jp',
        phone: '080-9999-0000',
        orderNumber: 'B-1',
      })
    ).ticket.reference;
    otherCanned = await testEnv.dataSource.getRepository(CannedResponse).save({
      merchantId: other.merchant.id,
      title: '他社の定型文',
      body: '{{name}} 様',
      updatedByUserId: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  async function expectUnchanged(
    reference: string,
    action: () => Promise<unknown>,
    code = ErrorCode.NotFound,
  ) {
    const before = await testTicket(moduleRef, reference);
    await expect(action()).rejects.toMatchObject({ code });
    const after = await testTicket(moduleRef, reference);
    expect(after.version).toBe(before.version);
    expect(after.assigneeId).toBe(before.assigneeId);
  }

  describe.each([
    [
      'a merchant user of another merchant',
      async (): Promise<User> =>
        createTestUser(testEnv.dataSource, { role: 'merchant_admin', merchantId: own.merchant.id }),
    ],
    [
      'an agent who is not a member of the queue',
      async (): Promise<User> =>
        createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [own.queue.id] }),
    ],
  ])('for %s', (_label, makeUser) => {
    let user: User;
    let scope: TenantScope;
    const as = () => ({ userId: user.id, ip: IP });

    beforeAll(async () => {
      user = await makeUser();
      scope = await scopeOf(moduleRef, user);
    });

    it('should return 404 for the other ticket’s detail, as for an unknown reference', async () => {
      const work = moduleRef.get(TicketWorkService);
      const unknown = await work.detail(scope, 'ZZZZ-ZZZZ', as()).catch((error: unknown) => error);
      const foreign = await work
        .detail(scope, otherReference, as())
        .catch((error: unknown) => error);
      expect(foreign).toMatchObject({ code: ErrorCode.NotFound });
      expect((foreign as Error).message).toBe((unknown as Error).message);
    });

    it('should refuse every write on the other ticket and change nothing', async () => {
      const work = moduleRef.get(TicketWorkService);
      const claims = moduleRef.get(TicketClaimService);
      // Another merchant's ticket is a 404 for everyone, never a 403 (DESIGN).
      const code = ErrorCode.NotFound;
      await expectUnchanged(
        otherReference,
        () => work.reply(scope, otherReference, { body: '返信' }, as()),
        code,
      );
      await expectUnchanged(
        otherReference,
        () => work.addNote(scope, otherReference, { body: 'メモ' }, as()),
        code,
      );
      await expectUnchanged(
        otherReference,
        () => work.changeStatus(scope, otherReference, { status: 'open' }, as()),
        code,
      );
      await expectUnchanged(
        otherReference,
        () => work.update(scope, otherReference, { priority: 'high' }, as()),
        code,
      );
      await expectUnchanged(
        otherReference,
        () => work.handBack(scope, otherReference, {}, as()),
        code,
      );
      await expectUnchanged(
        otherReference,
        () => claims.assign(scope, otherReference, null, undefined, as()),
        code,
      );
      await expectUnchanged(
        otherReference,
        () => claims.takeNext(scope, other.queue.id, as()),
        code,
      );
    });

    it('should not list the other merchant’s queue or tickets', async () => {
      const queues = moduleRef.get(QueueService);
      await expect(
        queues.listTickets(scope, other.queue.id, {}, { page: 1, pageSize: 50 }, user.id),
      ).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      const all = await queues.listTickets(scope, null, {}, { page: 1, pageSize: 100 }, user.id);
      expect(all.items.map((item) => item.reference)).toEqual([ownReference]);
      expect(all.total).toBe(1);
      expect((await queues.summaries(scope)).map((summary) => summary.id)).toEqual([own.queue.id]);
      const changes = await queues.changesSince(scope, new Date(0));
      expect(changes.references).toEqual([ownReference]);
    });

    it('should not find the other merchant’s ticket by reference, email, phone or order number', async () => {
      const search = moduleRef.get(TicketSearchService);
      for (const query of [otherReference, 'other@example.jp', '08099990000', 'B-1']) {
        await expect(search.search(scope, query, as())).resolves.toEqual([]);
      }
      await expect(search.search(scope, ownReference, as())).resolves.toEqual([
        expect.objectContaining({ reference: ownReference }),
      ]);
    });

    it('should hide the other merchant’s canned responses', async () => {
      const canned = moduleRef.get(CannedResponseService);
      await expect(canned.listFor(scope, other.merchant.id)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      const ownList = await canned.listFor(scope, own.merchant.id);
      expect(ownList.map((item) => item.id)).not.toContain(otherCanned.id);
      await expect(
        canned.renderFor(scope, ownReference, otherCanned.id, as()),
      ).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      await expect(
        canned.renderFor(scope, otherReference, otherCanned.id, as()),
      ).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });
  });

  it('should show an agent without queues nothing at all, never everything', async () => {
    const agent = await createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [] });
    const scope = await scopeOf(moduleRef, agent);
    expect(scope).toEqual({ kind: 'staff', userId: agent.id, queueIds: [] });
    const queues = moduleRef.get(QueueService);
    await expect(queues.summaries(scope)).resolves.toEqual([]);
    await expect(
      queues.listTickets(scope, null, {}, { page: 1, pageSize: 100 }, agent.id),
    ).resolves.toMatchObject({ items: [], total: 0 });
    await expect(
      moduleRef
        .get(TicketSearchService)
        .search(scope, 'own@example.jp', { userId: agent.id, ip: IP }),
    ).resolves.toEqual([]);
  });

  it('should give admins and supervisors every queue', async () => {
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    const scope = await scopeOf(moduleRef, supervisor);
    expect(scope).toEqual({ kind: 'staff', userId: supervisor.id, queueIds: 'all' });
    const ids = (await moduleRef.get(QueueService).summaries(scope)).map((summary) => summary.id);
    expect(ids).toEqual(expect.arrayContaining([own.queue.id, other.queue.id]));
  });

  it("should show a merchant user its own ticket's conversation without the operator's internal notes", async () => {
    const work = moduleRef.get(TicketWorkService);
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    const staff = await scopeOf(moduleRef, supervisor);
    await work.addNote(
      staff,
      ownReference,
      { body: '社内メモ: 加盟店には見せない' },
      {
        userId: supervisor.id,
        ip: IP,
      },
    );
    const merchantUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: own.merchant.id,
    });
    const merchantScope = await scopeOf(moduleRef, merchantUser);
    const forMerchant = await work.detail(merchantScope, ownReference, {
      userId: merchantUser.id,
      ip: IP,
    });
    const forStaff = await work.detail(staff, ownReference, { userId: supervisor.id, ip: IP });
    expect(forStaff.messages.map((m) => m.kind)).toContain('note');
    expect(forMerchant.messages.map((m) => m.kind)).not.toContain('note');
    expect(forMerchant.messages.map((m) => m.kind)).toContain('customer');
  });
});
