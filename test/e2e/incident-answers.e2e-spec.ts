import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { ErrorCode } from '@madoguchi/common';
import {
  AnswerApproval,
  AnswerTemplateService,
  type AnswerTemplateView,
  ApprovedAnswerService,
  IncidentService,
} from '@madoguchi/incidents';
import { OutboxJob } from '@madoguchi/mail';
import { IncidentAnswerService } from '@madoguchi/incident-response';
import {
  Message,
  PhoneTicketService,
  QueueService,
  Ticket,
  TicketWorkService,
} from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { createTestUser } from '../support/desk-test-app';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';
import {
  auditRows,
  createTestTicket,
  scopeOf,
  startTicketServices,
  testTicket,
} from '../support/ticket-desk-test';

const IP = '192.0.2.81';

describe(`incident answers: linking, approvals, replies and older-version receivers (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let incidents: IncidentService;
  let templates: AnswerTemplateService;
  let approved: ApprovedAnswerService;
  let answers: IncidentAnswerService;
  let work: TicketWorkService;
  let affected: TestTenant;
  let other: TestTenant;
  let unaffected: TestTenant;
  let admin: User;
  let agent: User;
  let affectedAdmin: User;
  let otherAdmin: User;
  let agentScope: TenantScope;
  let supervisorScope: TenantScope;
  let incidentId: number;
  let template: AnswerTemplateView;

  const staff = () => ({ userId: admin.id, ip: IP });
  const agentActor = () => ({ userId: agent.id, ip: IP });
  const merchantScope = (tenant: TestTenant, user: User): TenantScope => ({
    kind: 'merchant',
    userId: user.id,
    merchantId: tenant.merchant.id,
  });

  const approve = (tenant: TestTenant, user: User, versionId: number) =>
    templates.decide(
      testMerchantScope(tenant.merchant.id),
      versionId,
      { decision: 'approved' },
      {
        userId: user.id,
        ip: IP,
      },
    );

  const messageCount = () => testEnv.dataSource.manager.count(Message);
  const outboxCount = () => testEnv.dataSource.manager.count(OutboxJob);

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await startTicketServices(testEnv);
    incidents = moduleRef.get(IncidentService);
    templates = moduleRef.get(AnswerTemplateService);
    approved = moduleRef.get(ApprovedAnswerService);
    answers = moduleRef.get(IncidentAnswerService);
    work = moduleRef.get(TicketWorkService);
    affected = await createTestTenant(testEnv.dataSource, { merchantName: 'あおば商店' });
    other = await createTestTenant(testEnv.dataSource, { merchantName: 'いろは堂' });
    unaffected = await createTestTenant(testEnv.dataSource, { merchantName: 'うみ書房' });
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      displayName: '窓口 花子',
      queueIds: [affected.queue.id, other.queue.id, unaffected.queue.id],
    });
    affectedAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: affected.merchant.id,
    });
    otherAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: other.merchant.id,
    });
    agentScope = await scopeOf(moduleRef, agent);
    supervisorScope = await scopeOf(moduleRef, supervisor);
    const incident = await incidents.create(
      {
        title: '2026年11月 不正アクセス',
        description: '決済画面が改ざんされました。',
        leakedItems: '氏名、メールアドレス、電話番号',
        occurredFrom: '2026-10-01',
        occurredTo: '2026-11-10',
        merchants: [
          { merchantId: affected.merchant.id, affected: true, noticeDate: '2026-11-20' },
          { merchantId: other.merchant.id, affected: true, noticeDate: null },
          { merchantId: unaffected.merchant.id, affected: false },
        ],
      },
      staff(),
    );
    incidentId = incident.id;
    template = await templates.create(
      incidentId,
      {
        title: '流出した情報について',
        purpose: 'answer',
        body: '{{name}} 様\n{{merchant}}の{{reference}}についてご案内します。担当: {{agent}}',
      },
      staff(),
    );
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  describe('auto-link at intake', () => {
    it('should link a new web inquiry of an affected merchant to the newest incident that affects it', async () => {
      const newer = await incidents.create(
        {
          title: '2026年12月 追加調査',
          description: '追加の調査結果。',
          leakedItems: '注文番号',
          merchants: [{ merchantId: other.merchant.id, affected: true }],
        },
        staff(),
      );
      const { ticket } = await createTestTicket(moduleRef, affected);
      expect(ticket.incidentId).toBe(incidentId);
      const { ticket: otherTicket } = await createTestTicket(moduleRef, other);
      expect(otherTicket.incidentId).toBe(newer.id);
      // Back to the first incident for "other": the newer one no longer affects it.
      await incidents.update(
        newer.id,
        {
          title: newer.title,
          description: newer.description,
          leakedItems: newer.leakedItems,
          merchants: [{ merchantId: other.merchant.id, affected: false }],
        },
        staff(),
      );
      const { ticket: again } = await createTestTicket(moduleRef, other);
      expect(again.incidentId).toBe(incidentId);
    });

    it('should not link an inquiry of a merchant that no incident affects', async () => {
      const { ticket } = await createTestTicket(moduleRef, unaffected);
      expect(ticket.incidentId).toBeNull();
    });

    it('should link a phone ticket an agent creates the same way', async () => {
      const call = await insertTestCall(testEnv.dataSource);
      const ticket = await testEnv.dataSource.transaction((manager) =>
        moduleRef.get(PhoneTicketService).createFromCall(
          manager,
          agentScope,
          {
            merchantId: affected.merchant.id,
            siteId: null,
            category: 'leak_check',
            requesterName: null,
            requesterPhone: null,
            answered: true,
            callMessage: '通話メモ',
            callId: call.id,
          },
          agentActor(),
          new Date(),
        ),
      );
      expect(ticket.incidentId).toBe(incidentId);
      expect((await testTicket(moduleRef, ticket.reference)).incidentId).toBe(incidentId);
    });
  });

  describe('approvals', () => {
    it('should refuse an answer body with an unknown placeholder and store nothing', async () => {
      const before = (await templates.listForIncident(incidentId)).length;
      await expect(
        templates.create(
          incidentId,
          { title: '誤字', purpose: 'answer', body: '{{nmae}} 様' },
          staff(),
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        fieldErrors: [
          expect.objectContaining({ field: 'body', message: expect.stringContaining('{{nmae}}') }),
        ],
      });
      await expect(
        templates.edit(template.id, { title: template.title, body: '{{ order }}' }, staff()),
      ).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
      expect((await templates.listForIncident(incidentId)).length).toBe(before);
      expect((await templates.getTemplate(template.id)).versions).toHaveLength(1);
    });

    it('should answer NotFound for a version of an incident that does not affect the merchant, and write nothing', async () => {
      const approvals = await testEnv.dataSource.manager.count(AnswerApproval);
      const versionId = template.versions[0].id;
      await expect(
        templates.decide(
          testMerchantScope(unaffected.merchant.id),
          versionId,
          { decision: 'approved' },
          {
            userId: admin.id,
            ip: IP,
          },
        ),
      ).rejects.toMatchObject({ code: ErrorCode.NotFound });
      await expect(
        templates.decide(
          testMerchantScope(affected.merchant.id),
          999_999,
          { decision: 'approved' },
          {
            userId: affectedAdmin.id,
            ip: IP,
          },
        ),
      ).rejects.toMatchObject({ code: ErrorCode.NotFound });
      expect(await testEnv.dataSource.manager.count(AnswerApproval)).toBe(approvals);
    });

    it('should require a comment to request changes', async () => {
      await expect(
        templates.decide(
          testMerchantScope(affected.merchant.id),
          template.versions[0].id,
          { decision: 'changes_requested', comment: '  ' },
          { userId: affectedAdmin.id, ip: IP },
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        fieldErrors: [expect.objectContaining({ field: 'comment' })],
      });
    });

    it('should offer a version only to the merchant that approved it', async () => {
      expect(await approved.listApproved(affected.merchant.id, incidentId)).toEqual([]);
      await approve(affected, affectedAdmin, template.versions[0].id);
      const list = await approved.listApproved(affected.merchant.id, incidentId);
      expect(list).toEqual([
        expect.objectContaining({
          templateId: template.id,
          versionId: template.versions[0].id,
          version: 1,
          purpose: 'answer',
        }),
      ]);
      expect(await approved.listApproved(other.merchant.id, incidentId)).toEqual([]);
      expect(
        await approved.findApprovedVersion(other.merchant.id, template.versions[0].id),
      ).toBeNull();
      expect(await approved.latestApproved(affected.merchant.id, incidentId, 'answer')).toEqual(
        expect.objectContaining({ versionId: template.versions[0].id }),
      );
      expect(
        await approved.latestApproved(affected.merchant.id, incidentId, 'leak_included'),
      ).toBeNull();
      const audited = await auditRows(moduleRef, AUDIT_ACTIONS.answerVersionApproved);
      expect(audited.at(-1)).toMatchObject({
        merchantId: affected.merchant.id,
        actorId: affectedAdmin.id,
      });
    });
  });

  describe('replies with an approved answer', () => {
    let reference: string;

    beforeAll(async () => {
      const { ticket } = await createTestTicket(moduleRef, affected);
      reference = ticket.reference;
    });

    it('should fill the approved answers for a ticket of the merchant with the canned placeholders', async () => {
      const detail = await work.detail(agentScope, reference, agentActor());
      expect(detail.incident).toEqual({ id: incidentId, title: '2026年11月 不正アクセス' });
      const filled = await answers.forTicket(detail, '窓口 花子');
      expect(filled).toHaveLength(1);
      expect(filled[0].filledBody).toBe(
        `山田 太郎 様\nあおば商店の${reference}についてご案内します。担当: 窓口 花子`,
      );
    });

    it('should record the approved version on the reply', async () => {
      const current = await testTicket(moduleRef, reference);
      await work.reply(
        agentScope,
        reference,
        {
          body: '承認済みの回答',
          expectedVersion: current.version,
          answerVersionId: template.versions[0].id,
        },
        agentActor(),
      );
      const reply = await testEnv.dataSource.manager.findOneOrFail(Message, {
        where: { ticketId: current.id, kind: 'reply' },
        order: { id: 'DESC' },
      });
      expect(reply.answerVersionId).toBe(template.versions[0].id);
    });

    it('should refuse a version not approved for the ticket’s merchant and write nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, other);
      const [messages, outbox] = [await messageCount(), await outboxCount()];
      await expect(
        work.reply(
          agentScope,
          ticket.reference,
          {
            body: '未承認の回答',
            expectedVersion: ticket.version,
            answerVersionId: template.versions[0].id,
          },
          agentActor(),
        ),
      ).rejects.toMatchObject({ code: ErrorCode.AnswerNotApproved });
      await expect(
        work.reply(
          agentScope,
          ticket.reference,
          { body: '存在しない版', expectedVersion: ticket.version, answerVersionId: 987_654 },
          agentActor(),
        ),
      ).rejects.toMatchObject({ code: ErrorCode.AnswerNotApproved });
      expect(await messageCount()).toBe(messages);
      expect(await outboxCount()).toBe(outbox);
      expect((await testTicket(moduleRef, ticket.reference)).version).toBe(ticket.version);
    });

    it('should refuse an approved version on a ticket of a merchant without the incident', async () => {
      const { ticket } = await createTestTicket(moduleRef, unaffected);
      await expect(
        work.reply(
          agentScope,
          ticket.reference,
          { body: '回答', answerVersionId: template.versions[0].id },
          agentActor(),
        ),
      ).rejects.toMatchObject({ code: ErrorCode.AnswerNotApproved });
    });
  });

  describe('receivers of an older version', () => {
    it('should list the tickets whose last use of the template is older than the newest approved version', async () => {
      const { ticket: early } = await createTestTicket(moduleRef, affected);
      await work.reply(
        agentScope,
        early.reference,
        { body: '第1版', answerVersionId: template.versions[0].id },
        agentActor(),
      );
      const { ticket: otherEarly } = await createTestTicket(moduleRef, other);
      await approve(other, otherAdmin, template.versions[0].id);
      await work.reply(
        agentScope,
        otherEarly.reference,
        { body: '第1版', answerVersionId: template.versions[0].id },
        agentActor(),
      );
      // Nothing outdated while version 1 is the newest approved one.
      expect((await answers.listOutdatedReceivers(supervisorScope, template.id)).total).toBe(0);

      const edited = await templates.edit(
        template.id,
        { title: template.title, body: '{{name}} 様\n訂正版のご案内です。' },
        staff(),
      );
      const v2 = edited.versions[0];
      expect(v2.version).toBe(2);
      // Version 2 exists but nobody approved it yet: still nothing outdated.
      expect((await answers.listOutdatedReceivers(supervisorScope, template.id)).total).toBe(0);
      await approve(affected, affectedAdmin, v2.id);

      // A ticket that already got version 2 is not outdated.
      const { ticket: late } = await createTestTicket(moduleRef, affected);
      await work.reply(
        agentScope,
        late.reference,
        { body: '第2版', answerVersionId: v2.id },
        agentActor(),
      );
      // Version 1 is no longer usable for the affected merchant (superseded)...
      const { ticket: stale } = await createTestTicket(moduleRef, affected);
      await expect(
        work.reply(
          agentScope,
          stale.reference,
          { body: '古い版', answerVersionId: template.versions[0].id },
          agentActor(),
        ),
      ).rejects.toMatchObject({ code: ErrorCode.AnswerNotApproved });

      const page = await answers.listOutdatedReceivers(supervisorScope, template.id);
      const outdatedRefs = page.items.map((item) => item.reference);
      expect(outdatedRefs).toContain(early.reference);
      expect(outdatedRefs).not.toContain(late.reference);
      // "other" approved only version 1: its receivers got the newest approved version.
      expect(outdatedRefs).not.toContain(otherEarly.reference);
      const row = page.items.find((item) => item.reference === early.reference);
      expect(row).toMatchObject({
        usedVersion: 1,
        approvedVersion: 2,
        merchantId: affected.merchant.id,
      });
      expect(row?.repliedAt).toBeInstanceOf(Date);

      // A merchant sees only its own tickets; another merchant's scope sees none of them.
      const own = await answers.listOutdatedReceivers(
        merchantScope(affected, affectedAdmin),
        template.id,
      );
      expect(own.items.map((item) => item.reference)).toEqual(outdatedRefs);
      await approve(other, otherAdmin, v2.id);
      const others = await answers.listOutdatedReceivers(
        merchantScope(other, otherAdmin),
        template.id,
      );
      expect(others.items.map((item) => item.reference)).toEqual([otherEarly.reference]);

      // A newer reply with version 2 takes the ticket off the list.
      await work.reply(
        agentScope,
        early.reference,
        { body: '訂正', answerVersionId: v2.id },
        agentActor(),
      );
      const after = await answers.listOutdatedReceivers(supervisorScope, template.id);
      expect(after.items.map((item) => item.reference)).not.toContain(early.reference);
    });

    it('should page the list', async () => {
      const page = await answers.listOutdatedReceivers(supervisorScope, template.id, {
        page: 1,
        pageSize: 1,
      });
      expect(page.pageSize).toBe(1);
      expect(page.items.length).toBeLessThanOrEqual(1);
    });

    it('should answer NotFound to a merchant for a template of an incident that does not affect it', async () => {
      const unaffectedAdmin = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: unaffected.merchant.id,
      });
      await expect(
        answers.listOutdatedReceivers(merchantScope(unaffected, unaffectedAdmin), template.id),
      ).rejects.toMatchObject({ code: ErrorCode.NotFound });
    });
  });

  describe('filter by incident', () => {
    it('should list only the scope’s tickets of that incident', async () => {
      const queues = moduleRef.get(QueueService);
      const linked = await queues.listTickets(
        agentScope,
        null,
        {
          status: ['new', 'open', 'pending_customer', 'pending_merchant', 'resolved'],
          incident: incidentId,
        },
        { page: 1, pageSize: 100 },
        agent.id,
      );
      expect(linked.total).toBeGreaterThan(0);
      const rows = await testEnv.dataSource.manager.find(Ticket, {
        where: linked.items.map((item) => ({ reference: item.reference })),
      });
      expect(rows.every((row) => row.incidentId === incidentId)).toBe(true);
      const own = await queues.listTickets(
        merchantScope(other, otherAdmin),
        null,
        {
          status: ['new', 'open', 'pending_customer', 'pending_merchant', 'resolved'],
          incident: incidentId,
        },
        { page: 1, pageSize: 100 },
        otherAdmin.id,
      );
      expect(own.items.every((item) => item.merchantId === other.merchant.id)).toBe(true);
      expect(own.total).toBeGreaterThan(0);
      expect(own.total).toBeLessThan(linked.total);
    });
  });
});
