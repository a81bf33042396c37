import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  DomainException,
  ErrorCode,
  NotFoundException,
  renderCannedResponse,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  assertStaffScope,
  Merchant,
  scopedQueueQuery,
  Site,
  type TenantScope,
  type TicketActor,
} from '@madoguchi/tenancy';
import { CannedResponse } from '../canned-response/canned-response.entity';
import { TicketClaimService } from '../claim/ticket-claim.service';
import { QueueService } from '../queue/queue.service';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import {
  isTicketCategory,
  isTicketPriority,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
} from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import type { TicketListFilter } from '../ticket/ticket-view.type';
import { TicketWorkService, validBody } from '../ticket/ticket-work.service';
import {
  BULK_ACTION_MAX_TICKETS,
  BULK_REPLY_NEXT_STATUSES,
  BULK_STATUS_TARGETS,
  type BulkActionKind,
  type BulkItemState,
  type BulkRunState,
  type BulkSkipReason,
  isBulkActionKind,
} from './bulk-action.constant';
import { BulkRun, BulkRunItem } from './bulk-action.entity';

/** What the user asked for, as the form or the API gives it (checked by {@link BulkActionService.preview}). */
export interface BulkActionRequest {
  action: string;
  /** assign: 'me', 'release' or a user id. */
  assignee?: string | number;
  status?: string;
  priority?: string;
  category?: string;
  /** canned_reply: the canned response, and the status after the reply (default: as a reply). */
  cannedResponseId?: number | string;
  nextStatus?: string;
}

/** Which tickets: references picked one by one, or every ticket a list filter matches. */
export type BulkSelection =
  | { kind: 'references'; references: readonly string[] }
  | { kind: 'filter'; queueId: number | null; filter: TicketListFilter };

/** The stored parameters of a run (no text a person typed: a note's body is given to run()). */
export interface BulkRunParams {
  assigneeId?: number | null;
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
  cannedResponseId?: number;
  nextStatus?: TicketStatus;
}

export interface BulkRunItemView {
  reference: string;
  state: BulkItemState;
  skipReason: BulkSkipReason | null;
  skipDetail: string | null;
}

export interface BulkRunView {
  id: number;
  action: BulkActionKind;
  params: BulkRunParams;
  state: BulkRunState;
  total: number;
  doneCount: number;
  skippedCount: number;
  returnTo: string;
  createdByUserId: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** For the pages: the assignee's name, the canned response's title. */
  assigneeName: string | null;
  cannedTitle: string | null;
  /** The canned response's text as written (placeholders unfilled: no personal data). */
  cannedBody: string | null;
  items: BulkRunItemView[];
}

/** A ticket that another submit of the same run already did (the run × ticket key). */
class ItemAlreadyDone extends Error {}

/** The user typed nothing wrong, but the selection itself cannot be taken. */
function selectionError(message: string): ValidationFailedException {
  return new ValidationFailedException([{ field: 'selection', message }]);
}

/**
 * Bulk actions on the ticket lists (issue 15): assign, status, priority, category, internal
 * note, canned reply, on up to {@link BULK_ACTION_MAX_TICKETS} tickets of the user's scope.
 *
 * 1. `preview` checks the action and the selection (every reference in the scope, or the
 *    filter's matches, at most 500) and stores the run with each ticket's current version.
 * 2. `run` claims the stored run once (preview → running, one conditional UPDATE): a double
 *    submit, a reload or a second tab finds it taken and gets the same result. Each ticket then
 *    goes through the ordinary single-ticket path (TicketWorkService, TicketClaimService) with
 *    the version seen at the preview, so a ticket changed since is skipped ('changed'), as is
 *    one out of scope, one the life cycle refuses, or a canned text the determination rule
 *    refuses. A canned reply marks its item done inside the reply's transaction, conditionally
 *    (pending → done): the run × ticket row is the idempotency key, one reply per ticket.
 *
 * Audited per run (previewed, started, completed) and per ticket (the action's own event, and
 * bulk_action.ticket with the outcome).
 */
@Injectable()
export class BulkActionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueService,
    private readonly work: TicketWorkService,
    private readonly claims: TicketClaimService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Checks and stores a run (state preview); nothing is done to any ticket yet. */
  async preview(
    scope: TenantScope,
    request: BulkActionRequest,
    selection: BulkSelection,
    actor: TicketActor,
    returnTo: string,
  ): Promise<BulkRunView> {
    assertStaffScope(scope);
    const { action, params } = await this.checkedAction(scope, request, actor);
    const tickets = await this.selectedTickets(scope, selection);
    const now = this.clock.now();
    const runId = await runTransaction(this.dataSource, async (manager) => {
      const inserted = await manager.insert(BulkRun, {
        action,
        params: JSON.stringify(params),
        state: 'preview',
        returnTo: returnTo.slice(0, 255),
        total: tickets.length,
        doneCount: 0,
        skippedCount: 0,
        createdByUserId: scope.userId,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
      });
      const id = Number(inserted.identifiers[0]?.id);
      for (let i = 0; i < tickets.length; i += 100) {
        await manager.insert(
          BulkRunItem,
          tickets.slice(i, i + 100).map((ticket) => ({
            bulkRunId: id,
            ticketId: ticket.id,
            expectedVersion: ticket.version,
            state: 'pending' as const,
            skipReason: null,
            skipDetail: null,
            messageId: null,
            processedAt: null,
          })),
        );
      }
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.bulkActionPreviewed,
          { merchantId: null, target: { type: 'bulk_run', id } },
          { action, count: tickets.length, selection: selection.kind },
        );
      return id;
    });
    return this.find(scope, runId);
  }

  /**
   * Runs a previewed run once. `body` is the note's text again (the preview's form posts it);
   * it must be the text previewed. Another submit of a run already taken changes nothing and
   * answers with the run as it stands.
   */
  async run(
    scope: TenantScope,
    runId: number,
    actor: TicketActor,
    input: { body?: string } = {},
  ): Promise<BulkRunView> {
    assertStaffScope(scope);
    const run = await this.ownRun(scope, runId);
    const params = JSON.parse(run.params) as BulkRunParams;
    let note: string | null = null;
    if (run.action === 'note' && run.state === 'preview') note = validBody(input.body);
    const now = this.clock.now();
    const claimed = await runTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(BulkRun)
        .set({ state: 'running', startedAt: now })
        .where('id = :id AND state = :preview', { id: run.id, preview: 'preview' })
        .execute();
      if (result.affected !== 1) return false;
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.bulkActionStarted,
          { merchantId: null, target: { type: 'bulk_run', id: run.id } },
          { action: run.action, count: run.total },
        );
      return true;
    });
    if (!claimed) return this.find(scope, runId);
    const items = await this.dataSource.manager.find(BulkRunItem, {
      where: { bulkRunId: run.id, state: 'pending' },
      order: { id: 'ASC' },
    });
    const context = await this.runContext(params, actor);
    for (const item of items) {
      await this.processItem(scope, run, params, item, actor, note, context);
    }
    await this.finish(run, actor);
    return this.find(scope, runId);
  }

  /**
   * A run of the user's own; supervisors and admins (every queue) may read anyone's result.
   * Another user's run, or an unknown id, is NotFound.
   */
  async find(scope: TenantScope, runId: number): Promise<BulkRunView> {
    const run = await this.ownRun(scope, runId, { readAny: true });
    const manager = this.dataSource.manager;
    const rows = await manager
      .createQueryBuilder(BulkRunItem, 'item')
      .innerJoin(Ticket, 'ticket', 'ticket.id = item.ticketId')
      .select([
        'ticket.reference AS reference',
        'item.state AS state',
        'item.skipReason AS skipReason',
        'item.skipDetail AS skipDetail',
      ])
      .where('item.bulkRunId = :id', { id: run.id })
      .orderBy('item.id', 'ASC')
      .getRawMany<{
        reference: string;
        state: BulkItemState;
        skipReason: BulkSkipReason | null;
        skipDetail: string | null;
      }>();
    const params = JSON.parse(run.params) as BulkRunParams;
    const assignee =
      typeof params.assigneeId === 'number'
        ? await manager.findOne(User, {
            select: { id: true, displayName: true },
            where: { id: params.assigneeId },
          })
        : null;
    const canned =
      params.cannedResponseId === undefined
        ? null
        : await manager.findOne(CannedResponse, {
            select: { id: true, title: true, body: true },
            where: { id: params.cannedResponseId },
          });
    return {
      id: run.id,
      action: run.action,
      params,
      state: run.state,
      total: run.total,
      doneCount: run.doneCount,
      skippedCount: run.skippedCount,
      returnTo: run.returnTo,
      createdByUserId: run.createdByUserId,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      assigneeName: assignee?.displayName ?? null,
      cannedTitle: canned?.title ?? null,
      cannedBody: canned?.body ?? null,
      items: rows.map((row) => ({
        reference: row.reference,
        state: row.state,
        skipReason: row.skipReason,
        skipDetail: row.skipDetail,
      })),
    };
  }

  /**
   * Staff a bulk assignment may offer: active admins and supervisors, and agents who are members
   * of one of `queueIds` (each ticket is checked again against its own queue when it runs).
   */
  async assignableStaff(
    scope: TenantScope,
    queueIds: readonly number[] | null,
  ): Promise<Array<{ id: number; displayName: string }>> {
    assertStaffScope(scope);
    const manager = this.dataSource.manager;
    const ids =
      queueIds ??
      (await scopedQueueQuery(manager, scope).select(['queue.id']).getMany()).map((q) => q.id);
    const query = manager
      .getRepository(User)
      .createQueryBuilder('user')
      .select(['user.id', 'user.displayName'])
      .where('user.disabledAt IS NULL');
    if (ids.length === 0) query.andWhere("user.role IN ('admin', 'supervisor')");
    else {
      query.andWhere(
        "(user.role IN ('admin', 'supervisor') OR (user.role = 'agent' AND EXISTS (SELECT 1 FROM queue_members member WHERE member.user_id = user.id AND member.queue_id IN (:...queueIds))))",
        { queueIds: [...ids] },
      );
    }
    const users = await query
      .orderBy('user.displayName', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .limit(200)
      .getMany();
    return users.map((user) => ({ id: user.id, displayName: user.displayName }));
  }

  private async ownRun(
    scope: TenantScope,
    runId: number,
    options: { readAny?: boolean } = {},
  ): Promise<BulkRun> {
    const run = Number.isInteger(runId)
      ? await this.dataSource.manager.findOneBy(BulkRun, { id: runId })
      : null;
    const oversees = options.readAny === true && scope.kind === 'staff' && scope.queueIds === 'all';
    if (!run || (run.createdByUserId !== scope.userId && !oversees)) {
      throw new NotFoundException('一括操作が見つかりません。');
    }
    return run;
  }

  private async checkedAction(
    scope: TenantScope,
    request: BulkActionRequest,
    actor: TicketActor,
  ): Promise<{ action: BulkActionKind; params: BulkRunParams }> {
    const action = request.action;
    if (!isBulkActionKind(action)) {
      throw new ValidationFailedException([{ field: 'action', message: '操作を選んでください。' }]);
    }
    switch (action) {
      case 'assign': {
        const value = String(request.assignee ?? '').trim();
        if (value === 'me') return { action, params: { assigneeId: actor.userId } };
        if (value === 'release') return { action, params: { assigneeId: null } };
        const id = /^\d{1,9}$/.test(value) ? Number(value) : 0;
        const staff = id > 0 ? await this.assignableStaff(scope, null) : [];
        if (!staff.some((user) => user.id === id)) {
          throw new ValidationFailedException([
            { field: 'assignee', message: '担当者を選んでください。' },
          ]);
        }
        return { action, params: { assigneeId: id } };
      }
      case 'status': {
        const status = request.status;
        if (!(BULK_STATUS_TARGETS as readonly unknown[]).includes(status)) {
          throw new ValidationFailedException([
            { field: 'status', message: '変更後の状態を選んでください。' },
          ]);
        }
        return { action, params: { status: status as TicketStatus } };
      }
      case 'priority':
        if (!isTicketPriority(request.priority)) {
          throw new ValidationFailedException([
            { field: 'priority', message: '優先度を選んでください。' },
          ]);
        }
        return { action, params: { priority: request.priority } };
      case 'category':
        if (!isTicketCategory(request.category)) {
          throw new ValidationFailedException([
            { field: 'category', message: '種別を選んでください。' },
          ]);
        }
        return { action, params: { category: request.category } };
      case 'note':
        // The note's text is written on the confirmation and given to run(): never stored here.
        return { action, params: {} };
      case 'canned_reply': {
        const id = Number(request.cannedResponseId);
        const canned = Number.isInteger(id)
          ? await this.dataSource.manager.findOneBy(CannedResponse, { id })
          : null;
        const merchantVisible =
          canned !== null &&
          (canned.merchantId === null ||
            (await scopedQueueQuery(this.dataSource.manager, scope)
              .andWhere('queue.merchantId = :merchantId', { merchantId: canned.merchantId })
              .getExists()));
        const errors = [];
        if (!canned || !merchantVisible) {
          errors.push({ field: 'cannedResponseId', message: '定型文を選んでください。' });
        }
        const nextStatus = request.nextStatus === undefined ? '' : request.nextStatus;
        if (
          nextStatus !== '' &&
          !(BULK_REPLY_NEXT_STATUSES as readonly string[]).includes(nextStatus)
        ) {
          errors.push({ field: 'nextStatus', message: '返信後の状態を選んでください。' });
        }
        if (errors.length > 0) throw new ValidationFailedException(errors);
        return {
          action,
          params: {
            cannedResponseId: id,
            ...(nextStatus === '' ? {} : { nextStatus: nextStatus as TicketStatus }),
          },
        };
      }
    }
  }

  private async selectedTickets(
    scope: TenantScope,
    selection: BulkSelection,
  ): Promise<Array<{ id: number; reference: string; version: number }>> {
    if (selection.kind === 'filter') {
      const { total, tickets } = await this.queues.matchingTickets(
        scope,
        selection.queueId,
        selection.filter,
        BULK_ACTION_MAX_TICKETS,
        scope.userId,
      );
      if (total > BULK_ACTION_MAX_TICKETS) throw tooMany(total);
      if (total === 0) throw selectionError('条件に当てはまるチケットがありません。');
      return tickets;
    }
    const references = [
      ...new Set(
        selection.references.filter((ref) => typeof ref === 'string' && ref.trim() !== ''),
      ),
    ];
    if (references.length === 0) throw selectionError('チケットを選んでください。');
    if (references.length > BULK_ACTION_MAX_TICKETS) throw tooMany(references.length);
    const tickets = await scopedTicketQuery(this.dataSource.manager, scope)
      .select(['ticket.id', 'ticket.reference', 'ticket.version'])
      .andWhere('ticket.reference IN (:...references)', { references })
      .getMany();
    // Another merchant's ticket (or one outside the agent's queues) is never acted on, nor named.
    if (tickets.length !== references.length) {
      throw new NotFoundException(
        '選んだチケットの一部が見つかりません（担当範囲外か、存在しません）。何も変更していません。',
      );
    }
    const order = new Map(references.map((ref, index) => [ref, index]));
    return tickets
      .map((t) => ({ id: t.id, reference: t.reference, version: t.version }))
      .sort((a, b) => (order.get(a.reference) ?? 0) - (order.get(b.reference) ?? 0));
  }

  private async runContext(
    params: BulkRunParams,
    actor: TicketActor,
  ): Promise<{ canned: CannedResponse | null; agentName: string | null }> {
    const manager = this.dataSource.manager;
    const canned =
      params.cannedResponseId === undefined
        ? null
        : await manager.findOneBy(CannedResponse, { id: params.cannedResponseId });
    const agent = await manager.findOne(User, {
      select: { id: true, displayName: true },
      where: { id: actor.userId },
    });
    return { canned, agentName: agent?.displayName ?? null };
  }

  private async processItem(
    scope: TenantScope,
    run: BulkRun,
    params: BulkRunParams,
    item: BulkRunItem,
    actor: TicketActor,
    note: string | null,
    context: { canned: CannedResponse | null; agentName: string | null },
  ): Promise<void> {
    const ticket = await this.dataSource.manager.findOneBy(Ticket, { id: item.ticketId });
    if (!ticket) return this.skip(run, item, actor, 'out_of_scope', null, null);
    const reference = ticket.reference;
    const expectedVersion = item.expectedVersion;
    try {
      switch (run.action) {
        case 'assign':
          await this.claims.assign(
            scope,
            reference,
            params.assigneeId ?? null,
            expectedVersion,
            actor,
          );
          break;
        case 'status':
          await this.work.changeStatus(
            scope,
            reference,
            { status: params.status as TicketStatus, expectedVersion },
            actor,
          );
          break;
        case 'priority':
          await this.work.update(
            scope,
            reference,
            { priority: params.priority, expectedVersion },
            actor,
          );
          break;
        case 'category':
          await this.work.update(
            scope,
            reference,
            { category: params.category, expectedVersion },
            actor,
          );
          break;
        case 'note':
          await this.work.addNote(scope, reference, { body: note ?? '', expectedVersion }, actor);
          break;
        case 'canned_reply': {
          const canned = context.canned;
          if (!canned)
            return this.skip(run, item, actor, 'invalid', '定型文が削除されました。', ticket);
          if (canned.merchantId !== null && canned.merchantId !== ticket.merchantId) {
            return this.skip(run, item, actor, 'canned_other_merchant', null, ticket);
          }
          const body = await this.filledCanned(canned.body, ticket, context.agentName);
          await this.work.reply(
            scope,
            reference,
            {
              body,
              expectedVersion,
              ...(params.nextStatus === undefined ? {} : { nextStatus: params.nextStatus }),
            },
            actor,
            {
              auditDetail: { bulkRunId: run.id },
              // The run × ticket key: the item turns done in the reply's own transaction, once.
              withinTransaction: async (manager, messageId) => {
                const now = this.clock.now();
                const marked = await manager
                  .createQueryBuilder()
                  .update(BulkRunItem)
                  .set({ state: 'done', messageId, processedAt: now })
                  .where('id = :id AND state = :pending', { id: item.id, pending: 'pending' })
                  .execute();
                if (marked.affected !== 1) throw new ItemAlreadyDone();
                await this.audit
                  .by(actor, manager, now)
                  .record(
                    AUDIT_ACTIONS.bulkActionTicket,
                    { merchantId: ticket.merchantId, target: { type: 'ticket', id: reference } },
                    { bulkRunId: run.id, action: run.action, outcome: 'done', messageId },
                  );
              },
            },
          );
          return;
        }
      }
    } catch (error) {
      if (error instanceof ItemAlreadyDone) return;
      const skipped = skipReasonOf(error);
      if (!skipped) throw error;
      return this.skip(run, item, actor, skipped.reason, skipped.detail, ticket);
    }
    await this.markDone(run, item, actor, ticket);
  }

  private async filledCanned(
    body: string,
    ticket: Ticket,
    agentName: string | null,
  ): Promise<string> {
    const manager = this.dataSource.manager;
    const [merchant, site] = await Promise.all([
      manager.findOneByOrFail(Merchant, { id: ticket.merchantId }),
      ticket.siteId === null ? null : manager.findOneBy(Site, { id: ticket.siteId }),
    ]);
    return renderCannedResponse(body, {
      name: this.cipher.decryptNullable(ticket.requesterName),
      reference: ticket.reference,
      merchant: merchant.name,
      site: site?.displayName ?? merchant.name,
      agent: agentName,
    });
  }

  private async markDone(
    run: BulkRun,
    item: BulkRunItem,
    actor: TicketActor,
    ticket: Ticket,
  ): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const marked = await manager
        .createQueryBuilder()
        .update(BulkRunItem)
        .set({ state: 'done', processedAt: now })
        .where('id = :id AND state = :pending', { id: item.id, pending: 'pending' })
        .execute();
      if (marked.affected !== 1) return;
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.bulkActionTicket,
          { merchantId: ticket.merchantId, target: { type: 'ticket', id: ticket.reference } },
          { bulkRunId: run.id, action: run.action, outcome: 'done' },
        );
    });
  }

  private async skip(
    run: BulkRun,
    item: BulkRunItem,
    actor: TicketActor,
    reason: BulkSkipReason,
    detail: string | null,
    ticket: Ticket | null,
  ): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const marked = await manager
        .createQueryBuilder()
        .update(BulkRunItem)
        .set({
          state: 'skipped',
          skipReason: reason,
          skipDetail: detail === null ? null : detail.slice(0, 255),
          processedAt: now,
        })
        .where('id = :id AND state = :pending', { id: item.id, pending: 'pending' })
        .execute();
      if (marked.affected !== 1 || ticket === null) return;
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.bulkActionTicket,
          { merchantId: ticket.merchantId, target: { type: 'ticket', id: ticket.reference } },
          { bulkRunId: run.id, action: run.action, outcome: 'skipped', reason },
        );
    });
  }

  private async finish(run: BulkRun, actor: TicketActor): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const rows = await manager
        .createQueryBuilder(BulkRunItem, 'item')
        .select('item.state', 'state')
        .addSelect('COUNT(*)', 'count')
        .where('item.bulkRunId = :id', { id: run.id })
        .groupBy('item.state')
        .getRawMany<{ state: BulkItemState; count: number | string }>();
      const count = (state: BulkItemState) =>
        Number(rows.find((row) => row.state === state)?.count ?? 0);
      const pending = count('pending');
      await manager.update(
        BulkRun,
        { id: run.id },
        {
          doneCount: count('done'),
          skippedCount: count('skipped'),
          ...(pending === 0 ? { state: 'completed' as const, finishedAt: now } : {}),
        },
      );
      if (pending !== 0) return;
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.bulkActionCompleted,
          { merchantId: null, target: { type: 'bulk_run', id: run.id } },
          { action: run.action, done: count('done'), skipped: count('skipped') },
        );
    });
  }
}

function tooMany(count: number): ValidationFailedException {
  return selectionError(
    `一度に操作できるのは${BULK_ACTION_MAX_TICKETS}件までです（選択は${count.toLocaleString('ja-JP')}件）。条件を絞り込んでください。`,
  );
}

/** How a refusal of the single-ticket path reads on a bulk run's result; null: not a skip. */
function skipReasonOf(error: unknown): { reason: BulkSkipReason; detail: string | null } | null {
  if (!(error instanceof DomainException)) return null;
  const code = error.code;
  if (code === ErrorCode.StaleVersion) return { reason: 'changed', detail: null };
  if (code === ErrorCode.NotFound || code === ErrorCode.Forbidden)
    return { reason: 'out_of_scope', detail: null };
  if (
    code === ErrorCode.InvalidStatusTransition ||
    code === ErrorCode.TicketFinished ||
    code === ErrorCode.ReplyUndeliverable
  )
    return { reason: 'not_allowed', detail: error.message };
  if (code === ErrorCode.DeterminationMismatch || code === ErrorCode.AnswerNotApproved)
    return { reason: 'determination', detail: error.message };
  if (code === ErrorCode.ValidationFailed)
    return { reason: 'invalid', detail: error.fieldErrors[0]?.message ?? error.message };
  return null;
}
