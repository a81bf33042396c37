import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { MoreThan } from 'typeorm';
import { AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { ErrorCode } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { OutboxJob, OutboxService, OutboxWorker } from '@madoguchi/mail';
import {
  allowedTransitions,
  Message,
  StatusPageService,
  Ticket,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
  TicketWorkService,
} from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { ReplyDto } from '../../apps/desk/src/api/dto/ticket-write.dto';
import { createTestUser } from '../support/desk-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
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

const IP = '192.0.2.44';

describe(`working a ticket (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let moduleRef: TestingModule;
  let work: TicketWorkService;
  let tenant: TestTenant;
  let agent: User;
  let scope: TenantScope;
  const actor = () => ({ userId: agent.id, ip: IP });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ SMTP_URL: smtp.url });
    moduleRef = await startTicketServices(testEnv);
    work = moduleRef.get(TicketWorkService);
    tenant = await createTestTenant(testEnv.dataSource, {
      senderName: 'さくら雑貨店 お問い合わせ窓口',
    });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
      displayName: '窓口 花子',
    });
    scope = await scopeOf(moduleRef, agent);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  /** Messages, outbox jobs and the ticket's version: what "nothing changed" compares. */
  async function snapshot(ticket: Ticket) {
    const stored = await testTicket(moduleRef, ticket.reference);
    return {
      messages: await testEnv.dataSource.getRepository(Message).countBy({ ticketId: ticket.id }),
      outbox: await testEnv.dataSource.getRepository(OutboxJob).count(),
      version: stored.version,
      status: stored.status,
      slaDueAt: stored.slaDueAt,
    };
  }

  async function mailsSince(jobId: number) {
    const outbox = moduleRef.get(OutboxService);
    const jobs = await testEnv.dataSource
      .getRepository(OutboxJob)
      .find({ where: { id: MoreThan(jobId) }, order: { id: 'ASC' } });
    return jobs.map((job) => outbox.readMail(job));
  }

  async function lastJobId(): Promise<number> {
    const [last] = await testEnv.dataSource
      .getRepository(OutboxJob)
      .find({ order: { id: 'DESC' }, take: 1 });
    return last?.id ?? 0;
  }

  describe('detail', () => {
    it('should decrypt the requester and the conversation and audit the view with actor and IP', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);

      const detail = await work.detail(
        scope,
        ticket.reference.toLowerCase().replace('-', ''),
        actor(),
      );

      expect(detail.requester).toEqual({
        name: TEST_INQUIRY.name,
        email: TEST_INQUIRY.email,
        phone: TEST_INQUIRY.phone,
        orderNumber: TEST_INQUIRY.orderNumber,
      });
      expect(detail.messages).toEqual([
        expect.objectContaining({ kind: 'customer', body: TEST_INQUIRY.message, author: null }),
      ]);
      expect(detail.merchantContact).toEqual({
        url: tenant.site.contactUrl,
        text: tenant.site.contactText,
      });
      expect(detail.allowedStatuses).toEqual(allowedTransitions('new'));
      expect(detail.slaState).not.toBe('none');
      const [viewed] = await auditRows(moduleRef, AUDIT_ACTIONS.ticketViewed, ticket.reference);
      expect(viewed).toMatchObject({
        actorType: 'user',
        actorId: agent.id,
        ip: IP,
        merchantId: tenant.merchant.id,
      });
    });

    it('should return 404 for an unknown reference', async () => {
      await expect(work.detail(scope, 'AAAA-BBBB', actor())).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      await expect(work.detail(scope, 'not a reference', actor())).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });
  });

  describe('reply', () => {
    it('should store the reply, queue a mail in the merchant’s name, stop the first-response clock and wait on the end user', async () => {
      const { ticket, token } = await createTestTicket(moduleRef, tenant);
      const fromJob = await lastJobId();

      const result = await work.reply(
        scope,
        ticket.reference,
        { body: '  ご連絡ありがとうございます。確認いたします。  ', expectedVersion: 1 },
        actor(),
      );

      expect(result).toEqual({
        reference: ticket.reference,
        status: 'pending_customer',
        version: 2,
        assigneeId: null,
      });
      const stored = await testTicket(moduleRef, ticket.reference);
      expect(stored.firstRespondedAt).not.toBeNull();
      expect(ticket.slaDueAt).toEqual(ticket.firstResponseDueAt);
      expect(stored.slaDueAt).toEqual(stored.resolutionDueAt);
      const replies = await testEnv.dataSource
        .getRepository(Message)
        .findBy({ ticketId: ticket.id, kind: 'reply' });
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ authorUserId: agent.id, deliveryState: 'queued' });
      expect(moduleRef.get(FieldCipher).decrypt(replies[0].body as string)).toBe(
        'ご連絡ありがとうございます。確認いたします。',
      );
      const mails = await mailsSince(fromJob);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        to: TEST_INQUIRY.email,
        fromName: 'さくら雑貨店 お問い合わせ窓口',
        messageId: replies[0].id,
      });
      expect(mails[0].subject).toContain(ticket.reference);
      expect(mails[0].text).toContain('ご連絡ありがとうございます。確認いたします。');
      // Issue 14: the end user can simply reply, and the mail repeats the status link.
      expect(mails[0].text).toContain('このメールにそのまま返信して');
      expect(mails[0].text).toContain(`/status/${token}`);
      const page = await moduleRef.get(StatusPageService).view(token, null);
      expect(page.messages.map((message) => message.kind)).toEqual(['customer', 'reply']);
      const [replied] = await auditRows(moduleRef, AUDIT_ACTIONS.ticketReplied, ticket.reference);
      expect(replied).toMatchObject({ actorId: agent.id, ip: IP });
    });

    it('should deliver the reply mail to the end user over SMTP through the outbox worker', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await moduleRef.get(OutboxWorker).drainOnce();
      smtp.reset();
      await work.reply(scope, ticket.reference, { body: '調査の結果をお知らせします。' }, actor());

      await expect(moduleRef.get(OutboxWorker).drainOnce()).resolves.toMatchObject({ sent: 1 });
      const [mail] = await smtp.waitFor(1, 5000);
      expect(mail.envelopeTo).toEqual([TEST_INQUIRY.email]);
      expect(mail.headers.get('from')).toContain('さくら雑貨店 お問い合わせ窓口');
      expect(mail.text).toContain('調査の結果をお知らせします。');
      // The reply's delivery state follows its mail: queued until sent, then sent.
      const reply = await testEnv.dataSource
        .getRepository(Message)
        .findOneByOrFail({ ticketId: ticket.id, kind: 'reply' });
      expect(reply.deliveryState).toBe('sent');
    });

    it('should mask card numbers in a reply', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const fromJob = await lastJobId();
      await work.reply(
        scope,
        ticket.reference,
        { body: 'カード 4111 1111 1111 1111 について' },
        actor(),
      );
      const [mail] = await mailsSince(fromJob);
      expect(mail.text).toContain('**** **** **** 1111');
      expect(mail.text).not.toContain('4111 1111 1111 1111');
    });

    it.each([
      ['an empty', ''],
      ['a blank (spaces, full-width space)', ' \n\t　'],
      ['an oversized', 'あ'.repeat(10_001)],
    ])(
      'should refuse %s reply or note as a validation error on body and store nothing',
      async (_label, body) => {
        const { ticket } = await createTestTicket(moduleRef, tenant);
        const before = await snapshot(ticket);

        await expect(work.reply(scope, ticket.reference, { body }, actor())).rejects.toMatchObject({
          code: ErrorCode.ValidationFailed,
          fieldErrors: [expect.objectContaining({ field: 'body' })],
        });
        await expect(
          work.addNote(scope, ticket.reference, { body }, actor()),
        ).rejects.toMatchObject({
          code: ErrorCode.ValidationFailed,
        });
        expect(await snapshot(ticket)).toEqual(before);
      },
    );

    it('should accept a reply of exactly 10,000 characters', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await expect(
        work.reply(scope, ticket.reference, { body: 'あ'.repeat(10_000) }, actor()),
      ).resolves.toMatchObject({ version: 2 });
    });

    it('should move the ticket to the status the agent chose, validated by the life cycle', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await expect(
        work.reply(
          scope,
          ticket.reference,
          { body: '解決しました。', nextStatus: 'resolved' },
          actor(),
        ),
      ).resolves.toMatchObject({
        status: 'resolved',
      });
      const before = await snapshot(ticket);
      await expect(
        work.reply(
          scope,
          ticket.reference,
          { body: '追記', nextStatus: 'pending_merchant' },
          actor(),
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.InvalidStatusTransition,
      });
      expect(await snapshot(ticket)).toEqual(before);
    });

    it('should refuse handed_back, closed and new as the status after a reply, and change nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      for (const nextStatus of ['handed_back', 'closed', 'new'] as const) {
        const before = await snapshot(ticket);
        await expect(
          work.reply(scope, ticket.reference, { body: '返信', nextStatus }, actor()),
        ).rejects.toMatchObject({
          code: ErrorCode.ValidationFailed,
          fieldErrors: [expect.objectContaining({ field: 'nextStatus' })],
        });
        expect(await snapshot(ticket)).toEqual(before);
      }
      // The API refuses them before the service: only the statuses a reply may lead to pass.
      const fieldsRefused = async (nextStatus: string) =>
        (await validate(plainToInstance(ReplyDto, { body: '返信', nextStatus }))).map(
          (error) => error.property,
        );
      for (const refused of ['handed_back', 'closed', 'new', 'unknown']) {
        await expect(fieldsRefused(refused)).resolves.toEqual(['nextStatus']);
      }
      for (const accepted of ['open', 'pending_customer', 'pending_merchant', 'resolved']) {
        await expect(fieldsRefused(accepted)).resolves.toEqual([]);
      }
    });

    it('should refuse a reply to a closed, handed-back or erased ticket with 409', async () => {
      const tickets = testEnv.dataSource.getRepository(Ticket);
      for (const change of [
        { status: 'closed' as const },
        { status: 'handed_back' as const },
        { erasedAt: new Date() },
      ]) {
        const { ticket } = await createTestTicket(moduleRef, tenant);
        await tickets.update({ id: ticket.id }, change);
        const before = await snapshot(ticket);
        await expect(
          work.reply(scope, ticket.reference, { body: '返信' }, actor()),
        ).rejects.toMatchObject({ code: ErrorCode.InvalidStatusTransition });
        expect(await snapshot(ticket)).toEqual(before);
      }
    });
  });

  describe('notes', () => {
    it('should keep a note off the end user’s status page and out of the mail, and open a new ticket', async () => {
      const { ticket, token } = await createTestTicket(moduleRef, tenant);
      const fromJob = await lastJobId();

      const result = await work.addNote(
        scope,
        ticket.reference,
        { body: '社内メモ：加盟店に確認中', expectedVersion: 1 },
        actor(),
      );

      expect(result).toMatchObject({ status: 'open', version: 2 });
      const page = await moduleRef.get(StatusPageService).view(token, null);
      expect(page.messages.map((message) => message.body)).toEqual([TEST_INQUIRY.message]);
      expect(await mailsSince(fromJob)).toEqual([]);
      const detail = await work.detail(scope, ticket.reference, actor());
      expect(detail.messages.map((message) => message.kind)).toEqual(['customer', 'note']);
      expect((await testTicket(moduleRef, ticket.reference)).firstRespondedAt).toBeNull();
      await expect(
        auditRows(moduleRef, AUDIT_ACTIONS.ticketNoteAdded, ticket.reference),
      ).resolves.toHaveLength(1);
    });

    it('should refuse a note on a closed, handed-back or erased ticket with 409 and change nothing', async () => {
      const tickets = testEnv.dataSource.getRepository(Ticket);
      for (const change of [
        { status: 'closed' as const },
        { status: 'handed_back' as const },
        { erasedAt: new Date() },
      ]) {
        const { ticket } = await createTestTicket(moduleRef, tenant);
        await tickets.update({ id: ticket.id }, change);
        const before = await snapshot(ticket);
        await expect(
          work.addNote(scope, ticket.reference, { body: '社内メモ' }, actor()),
        ).rejects.toMatchObject({ code: ErrorCode.InvalidStatusTransition });
        expect(await snapshot(ticket)).toEqual(before);
        await expect(
          auditRows(moduleRef, AUDIT_ACTIONS.ticketNoteAdded, ticket.reference),
        ).resolves.toHaveLength(0);
      }
    });
  });

  describe('status', () => {
    it('should refuse every illegal transition with 409 and the reason, and change nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const tickets = testEnv.dataSource.getRepository(Ticket);
      let refused = 0;
      for (const from of TICKET_STATUSES) {
        await tickets.update({ id: ticket.id }, { status: from });
        const allowed = allowedTransitions(from);
        for (const to of TICKET_STATUSES.filter((status) => !allowed.includes(status))) {
          const before = await snapshot(ticket);
          const attempt = work.changeStatus(scope, ticket.reference, { status: to }, actor());
          await expect(attempt).rejects.toMatchObject({ code: ErrorCode.InvalidStatusTransition });
          await expect(attempt).rejects.toThrow(TICKET_STATUS_LABELS[to]);
          expect(await snapshot(ticket)).toEqual(before);
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(20);
    });

    it('should set resolvedAt and closedAt, clear the SLA deadline, and audit each change with actor and IP', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await work.changeStatus(scope, ticket.reference, { status: 'open' }, actor());
      await work.changeStatus(scope, ticket.reference, { status: 'resolved' }, actor());
      const resolved = await testTicket(moduleRef, ticket.reference);
      expect(resolved.resolvedAt).not.toBeNull();
      expect(resolved.slaDueAt).toBeNull();
      await work.changeStatus(
        scope,
        ticket.reference,
        { status: 'closed', expectedVersion: resolved.version },
        actor(),
      );
      const closed = await testTicket(moduleRef, ticket.reference);
      expect(closed).toMatchObject({ status: 'closed', slaDueAt: null });
      expect(closed.closedAt).not.toBeNull();
      const audits = await auditRows(
        moduleRef,
        AUDIT_ACTIONS.ticketStatusChanged,
        ticket.reference,
      );
      expect(audits.map((row) => JSON.parse(row.detail as string))).toEqual([
        { from: 'new', to: 'open' },
        { from: 'open', to: 'resolved' },
        { from: 'resolved', to: 'closed' },
      ]);
      expect(audits.every((row) => row.actorId === agent.id && row.ip === IP)).toBe(true);
      await expect(
        work.reply(scope, ticket.reference, { body: 'もう一度' }, actor()),
      ).rejects.toMatchObject({
        code: ErrorCode.InvalidStatusTransition,
      });
    });

    it('should reopen a resolved ticket when the end user replies, with its SLA deadline back', async () => {
      const { ticket, token } = await createTestTicket(moduleRef, tenant);
      await work.reply(
        scope,
        ticket.reference,
        { body: '対応いたしました。', nextStatus: 'resolved' },
        actor(),
      );
      expect((await testTicket(moduleRef, ticket.reference)).slaDueAt).toBeNull();

      await moduleRef
        .get(StatusPageService)
        .addCustomerReply(token, 'まだ解決していません。', null);

      const reopened = await testTicket(moduleRef, ticket.reference);
      expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
      expect(reopened.slaDueAt).toEqual(reopened.resolutionDueAt);
    });
  });

  describe('optimistic concurrency', () => {
    it('should refuse every write with a stale version with 409 and change nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await work.addNote(scope, ticket.reference, { body: '先に更新' }, actor());
      const before = await snapshot(ticket);
      const stale = { expectedVersion: 1 };

      for (const attempt of [
        () => work.reply(scope, ticket.reference, { body: '返信', ...stale }, actor()),
        () => work.addNote(scope, ticket.reference, { body: 'メモ', ...stale }, actor()),
        () => work.changeStatus(scope, ticket.reference, { status: 'resolved', ...stale }, actor()),
        () => work.update(scope, ticket.reference, { priority: 'high', ...stale }, actor()),
        () => work.handBack(scope, ticket.reference, stale, actor()),
      ]) {
        await expect(attempt()).rejects.toMatchObject({
          code: ErrorCode.StaleVersion,
          message: expect.stringContaining('ほかの担当者'),
        });
      }
      expect(await snapshot(ticket)).toEqual(before);
    });

    it('should apply only one of two concurrent writes made from the same version', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const outcomes = await Promise.allSettled([
        work.changeStatus(
          scope,
          ticket.reference,
          { status: 'resolved', expectedVersion: 1 },
          actor(),
        ),
        work.reply(scope, ticket.reference, { body: '同時の返信', expectedVersion: 1 }, actor()),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const [rejected] = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      );
      expect(rejected.reason).toMatchObject({ code: ErrorCode.StaleVersion });
      expect((await testTicket(moduleRef, ticket.reference)).version).toBe(2);
    });
  });

  describe('category and priority', () => {
    it('should change them and audit which fields changed', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await expect(
        work.update(scope, ticket.reference, { category: 'payment', priority: 'urgent' }, actor()),
      ).resolves.toMatchObject({ version: 2 });
      await expect(testTicket(moduleRef, ticket.reference)).resolves.toMatchObject({
        category: 'payment',
        priority: 'urgent',
      });
      const [updated] = await auditRows(moduleRef, AUDIT_ACTIONS.ticketUpdated, ticket.reference);
      expect(JSON.parse(updated.detail as string)).toEqual({
        changed: {
          category: { from: 'leak_check', to: 'payment' },
          priority: { from: 'normal', to: 'urgent' },
        },
      });
    });

    it('should refuse unknown values and change nothing', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const before = await snapshot(ticket);
      await expect(
        work.update(
          scope,
          ticket.reference,
          { category: 'spam' as never, priority: 'extreme' as never },
          actor(),
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        fieldErrors: [
          expect.objectContaining({ field: 'category' }),
          expect.objectContaining({ field: 'priority' }),
        ],
      });
      expect(await snapshot(ticket)).toEqual(before);
    });
  });

  describe('hand back', () => {
    it('should answer the end user with the merchant’s contact, notify the merchant without personal data, and stop the SLA', async () => {
      const { ticket, token } = await createTestTicket(moduleRef, tenant);
      const fromJob = await lastJobId();

      const result = await work.handBack(scope, ticket.reference, { expectedVersion: 1 }, actor());

      expect(result).toMatchObject({ status: 'handed_back', version: 2 });
      const stored = await testTicket(moduleRef, ticket.reference);
      expect(stored.slaDueAt).toBeNull();
      const mails = await mailsSince(fromJob);
      expect(mails.map((mail) => mail.to).sort()).toEqual(
        [TEST_INQUIRY.email, ...tenant.merchant.notificationEmails].sort(),
      );
      const toEndUser = mails.find((mail) => mail.to === TEST_INQUIRY.email);
      expect(toEndUser?.text).toContain(tenant.site.contactUrl as string);
      expect(toEndUser?.text).toContain(tenant.site.contactText as string);
      const toMerchant = mails.find((mail) => mail.to !== TEST_INQUIRY.email);
      expect(toMerchant?.text).toContain(ticket.reference);
      for (const personal of [
        TEST_INQUIRY.name,
        TEST_INQUIRY.email,
        TEST_INQUIRY.phone as string,
        TEST_INQUIRY.message,
      ]) {
        expect(toMerchant?.text).not.toContain(personal);
        expect(toMerchant?.subject).not.toContain(personal);
      }
      const page = await moduleRef.get(StatusPageService).view(token, null);
      expect(page.messages.at(-1)?.body).toContain(tenant.site.contactUrl as string);
      expect(page.acceptsReplies).toBe(false);
      const [handedBack] = await auditRows(
        moduleRef,
        AUDIT_ACTIONS.ticketHandedBack,
        ticket.reference,
      );
      expect(handedBack).toMatchObject({ actorId: agent.id, ip: IP });
    });

    it('should hand back through a status change to handed_back as well', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const fromJob = await lastJobId();
      await expect(
        work.changeStatus(scope, ticket.reference, { status: 'handed_back' }, actor()),
      ).resolves.toMatchObject({
        status: 'handed_back',
      });
      expect(await mailsSince(fromJob)).toHaveLength(2);
    });
  });

  describe('merchant users', () => {
    it('should let a merchant user read its own ticket but refuse every write with 403', async () => {
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      const merchantScope = await scopeOf(moduleRef, viewer);
      const as = { userId: viewer.id, ip: IP };
      await expect(work.detail(merchantScope, ticket.reference, as)).resolves.toMatchObject({
        reference: ticket.reference,
      });
      const before = await snapshot(ticket);

      for (const attempt of [
        () => work.reply(merchantScope, ticket.reference, { body: '返信' }, as),
        () => work.addNote(merchantScope, ticket.reference, { body: 'メモ' }, as),
        () => work.changeStatus(merchantScope, ticket.reference, { status: 'open' }, as),
        () => work.update(merchantScope, ticket.reference, { priority: 'high' }, as),
        () => work.handBack(merchantScope, ticket.reference, {}, as),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      }
      expect(await snapshot(ticket)).toEqual(before);
    });
  });
});
