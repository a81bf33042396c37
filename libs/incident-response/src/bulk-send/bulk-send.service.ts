import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  DomainException,
  ErrorCode,
  NotFoundException,
  renderCannedResponse,
  runTransaction,
  systemScope,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  AnswerTemplate,
  AnswerTemplateVersion,
  type ApprovedAnswer,
  Incident,
  IncidentMerchant,
  isMerchantAffected,
  newestApprovedVersions,
} from '@madoguchi/incidents';
import { Merchant, Site, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import {
  Message,
  scopedTicketQuery,
  Ticket,
  acceptsAgentMessages,
  TicketWorkService,
  type TicketStatus,
  type Page,
} from '@madoguchi/tickets';
import { IncidentAnswerService } from '../incident-answers/incident-answer.service';
import {
  BULK_OPEN_STATUSES,
  BULK_SEND_MAX_ITEMS,
  BULK_SEND_SELECTIONS,
  type BulkSendSelection,
  type BulkSendState,
  type BulkSkipReason,
} from './bulk-send.constant';
import { BulkSend, BulkSendItem } from './bulk-send.entity';
import {
  DETERMINATION_MISMATCH_REASONS,
  type DeterminationEvidence,
  type DeterminationMismatchReason,
  type DeterminationOutcome,
  outcomeNeededFor,
} from '../determination/determination.constant';
import { determinationMismatch } from '../determination/determination.rules';
import { TicketDetermination } from '../determination/ticket-determination.entity';

/** What the user picked: one merchant, one template of an incident, one selection. */
export interface BulkSendRequest {
  merchantId: number;
  templateId: number;
  selection: BulkSendSelection;
}

export interface BulkSendPreview {
  merchantId: number;
  merchantName: string;
  incidentId: number;
  incidentTitle: string;
  templateId: number;
  selection: BulkSendSelection;
  /** The version that goes out: the newest one the merchant approved. */
  answer: ApprovedAnswer;
  /** Tickets that would get it. */
  count: number;
  /** Tickets of the selection left out because they take no more replies (closed, handed back). */
  notAccepting: number;
  /**
   * The first few references, for a look before sending; for a leak answer (issue 13.1) the
   * first {@link LEAK_SAMPLE_SIZE}, each with the determination it rests on.
   */
  sample: { reference: string; status: TicketStatus; evidence?: BulkSendEvidence }[];
  /**
   * Leak answers only (`leak_included` / `leak_not_included`): the outcome a ticket's current
   * determination must say, and the tickets of the selection left out because theirs does not
   * (none yet, the other outcome, flagged for review), counted by reason with a sample.
   * null for other purposes.
   */
  determination: BulkSendDeterminationCheck | null;
}

/** What a ticket's determination rests on, as the bulk-send preview lists it. */
export interface BulkSendEvidence {
  determinationId: number;
  outcome: DeterminationOutcome;
  evidence: DeterminationEvidence;
  decidedAt: Date;
  /** The agent's name; null for the end user's verified check. */
  decidedBy: string | null;
  listUploadId: number | null;
}

export interface BulkSendDeterminationCheck {
  required: DeterminationOutcome;
  /** Left out, by reason (every reason present, 0 when none). */
  excluded: Record<DeterminationMismatchReason, number>;
  excludedTotal: number;
  excludedSample: {
    reference: string;
    status: TicketStatus;
    reason: DeterminationMismatchReason;
    evidence: BulkSendEvidence | null;
  }[];
}

type SelectedTicket = { id: number; reference: string; status: TicketStatus };

export interface BulkSendSummary {
  id: number;
  merchantId: number;
  merchantName: string;
  incidentTitle: string;
  templateTitle: string;
  version: number;
  selection: BulkSendSelection;
  state: BulkSendState;
  total: number;
  sent: number;
  skipped: number;
  pending: number;
  createdByName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface BulkSendItemView {
  reference: string;
  state: BulkSendItem['state'];
  skipReason: string | null;
  processedAt: Date | null;
}

export interface BulkSendOptions {
  merchants: { id: number; name: string }[];
  templates: { id: number; title: string; incidentTitle: string }[];
}

export const BULK_ITEMS_PAGE_SIZE = 50;
const SAMPLE_SIZE = 10;
/** A leak answer's preview lists this many tickets with their evidence (and as many left out). */
export const LEAK_SAMPLE_SIZE = 100;
const INSERT_CHUNK = 500;

/** Thrown inside a reply's transaction to roll it back; never leaves this service. */
class ItemNotSendable extends Error {
  constructor(readonly reason: BulkSkipReason | 'taken') {
    super(reason);
  }
}

/**
 * Bulk sends of an approved incident answer (issue 8): a preview with the count, then a run
 * whose items are frozen at the start and sent by {@link processBatch} at a bounded rate
 * (the desk's BulkSendWorker). Each item is one ordinary reply (message in the conversation,
 * mail through the outbox, audit event), and the item's state changes inside that reply's
 * transaction, conditionally: a ticket gets the message at most once per run, whatever the
 * number of desk instances or restarts, and never a version it already received.
 */
@Injectable()
export class BulkSendService {
  private readonly logger = new Logger(BulkSendService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly work: TicketWorkService,
    private readonly incidentAnswers: IncidentAnswerService,
    private readonly clock: Clock,
  ) {}

  /**
   * What the new-send form offers: staff every merchant affected by an incident and every
   * template; a merchant only the templates of incidents that affect it.
   */
  async options(scope: TenantScope): Promise<BulkSendOptions> {
    const manager = this.dataSource.manager;
    const affected = manager
      .createQueryBuilder(IncidentMerchant, 'line')
      .select('line.merchantId', 'merchantId')
      .addSelect('line.incidentId', 'incidentId')
      .where('line.affected = :affected', { affected: true });
    if (scope.kind === 'merchant') {
      affected.andWhere('line.merchantId = :merchantId', { merchantId: scope.merchantId });
    }
    const lines = await affected.getRawMany<{
      merchantId: number | string;
      incidentId: number | string;
    }>();
    const merchantIds = [...new Set(lines.map((line) => Number(line.merchantId)))];
    const incidentIds = [...new Set(lines.map((line) => Number(line.incidentId)))];
    if (incidentIds.length === 0) return { merchants: [], templates: [] };
    const [merchants, templates] = await Promise.all([
      manager.find(Merchant, {
        select: { id: true, name: true },
        where: { id: In(merchantIds) },
        order: { name: 'ASC' },
      }),
      manager
        .createQueryBuilder(AnswerTemplate, 'template')
        .innerJoin(Incident, 'incident', 'incident.id = template.incidentId')
        .select('template.id', 'id')
        .addSelect('template.title', 'title')
        .addSelect('incident.title', 'incidentTitle')
        .where('template.incidentId IN (:...incidentIds)', { incidentIds })
        .orderBy('template.incidentId', 'DESC')
        .addOrderBy('template.id', 'ASC')
        .getRawMany<{ id: number | string; title: string; incidentTitle: string }>(),
    ]);
    return {
      merchants: merchants.map((merchant) => ({ id: merchant.id, name: merchant.name })),
      templates: templates.map((template) => ({
        id: Number(template.id),
        title: template.title,
        incidentTitle: template.incidentTitle,
      })),
    };
  }

  async preview(scope: TenantScope, request: BulkSendRequest): Promise<BulkSendPreview> {
    const resolved = await this.resolve(this.dataSource.manager, scope, request);
    const manager = this.dataSource.manager;
    const selected = await this.selectTickets(manager, scope, resolved);
    const accepting = selected.filter((ticket) => acceptsAgentMessages(ticket.status));
    const split = await this.splitByDetermination(
      manager,
      resolved.preview.answer.purpose,
      accepting,
    );
    if (split === null) {
      return {
        ...resolved.preview,
        count: accepting.length,
        notAccepting: selected.length - accepting.length,
        sample: accepting
          .slice(0, SAMPLE_SIZE)
          .map((ticket) => ({ reference: ticket.reference, status: ticket.status })),
        determination: null,
      };
    }
    const sample = split.eligible.slice(0, LEAK_SAMPLE_SIZE);
    const excludedSample = split.excluded.slice(0, LEAK_SAMPLE_SIZE);
    const evidence = await this.evidenceOf(manager, [
      ...sample.map((ticket) => split.current.get(ticket.id)),
      ...excludedSample.map((row) => split.current.get(row.ticket.id)),
    ]);
    const excluded = Object.fromEntries(
      DETERMINATION_MISMATCH_REASONS.map((reason) => [
        reason,
        split.excluded.filter((row) => row.reason === reason).length,
      ]),
    ) as Record<DeterminationMismatchReason, number>;
    return {
      ...resolved.preview,
      count: split.eligible.length,
      notAccepting: selected.length - accepting.length,
      sample: sample.map((ticket) => ({
        reference: ticket.reference,
        status: ticket.status,
        evidence: evidence.get(ticket.id) as BulkSendEvidence,
      })),
      determination: {
        required: split.required,
        excluded,
        excludedTotal: split.excluded.length,
        excludedSample: excludedSample.map((row) => ({
          reference: row.ticket.reference,
          status: row.ticket.status,
          reason: row.reason,
          evidence: evidence.get(row.ticket.id) ?? null,
        })),
      },
    };
  }

  /**
   * Issue 13.1: a leak answer goes only to tickets whose current determination says its outcome
   * and is not flagged for review; the rest of the selection is left out with the reason. null
   * for purposes that need no determination (the selection stands as it is).
   */
  private async splitByDetermination(
    manager: EntityManager,
    purpose: ApprovedAnswer['purpose'],
    tickets: SelectedTicket[],
  ): Promise<{
    required: DeterminationOutcome;
    eligible: SelectedTicket[];
    excluded: { ticket: SelectedTicket; reason: DeterminationMismatchReason }[];
    current: Map<number, TicketDetermination>;
  } | null> {
    const required = outcomeNeededFor(purpose);
    if (required === null) return null;
    const current = new Map<number, TicketDetermination>();
    for (let offset = 0; offset < tickets.length; offset += INSERT_CHUNK) {
      const ids = tickets.slice(offset, offset + INSERT_CHUNK).map((ticket) => ticket.id);
      const rows = await manager.findBy(TicketDetermination, { currentTicketId: In(ids) });
      for (const row of rows) current.set(row.ticketId, row);
    }
    const eligible: SelectedTicket[] = [];
    const excluded: { ticket: SelectedTicket; reason: DeterminationMismatchReason }[] = [];
    for (const ticket of tickets) {
      const reason = determinationMismatch(current.get(ticket.id) ?? null, required);
      if (reason === null) eligible.push(ticket);
      else excluded.push({ ticket, reason });
    }
    return { required, eligible, excluded, current };
  }

  /** The evidence of some determinations, by ticket id, with the deciding agent's name. */
  private async evidenceOf(
    manager: EntityManager,
    determinations: (TicketDetermination | undefined)[],
  ): Promise<Map<number, BulkSendEvidence>> {
    const rows = determinations.filter((row): row is TicketDetermination => row !== undefined);
    const userIds = [
      ...new Set(rows.map((row) => row.decidedByUserId).filter((id): id is number => id !== null)),
    ];
    const users =
      userIds.length === 0
        ? []
        : await manager.find(User, {
            select: { id: true, displayName: true },
            where: { id: In(userIds) },
          });
    const names = new Map(users.map((user) => [user.id, user.displayName]));
    return new Map(
      rows.map((row) => [
        row.ticketId,
        {
          determinationId: row.id,
          outcome: row.outcome,
          evidence: row.evidence,
          decidedAt: row.createdAt,
          decidedBy: row.decidedByUserId === null ? null : (names.get(row.decidedByUserId) ?? null),
          listUploadId: row.listUploadId,
        },
      ]),
    );
  }

  /**
   * Starts a run for the selection as it is now, if it still has the count the user saw
   * (else 409 BULK_SELECTION_CHANGED: preview again). Items and the audit event commit together.
   */
  async start(
    scope: TenantScope,
    request: BulkSendRequest & { expectedCount: number },
    actor: TicketActor,
  ): Promise<number> {
    return runTransaction(this.dataSource, async (manager) => {
      const resolved = await this.resolve(manager, scope, request);
      const accepting = (await this.selectTickets(manager, scope, resolved)).filter((ticket) =>
        acceptsAgentMessages(ticket.status),
      );
      // Issue 13.1: a leak answer's run holds only tickets whose determination matches.
      const split = await this.splitByDetermination(
        manager,
        resolved.preview.answer.purpose,
        accepting,
      );
      const selected = split === null ? accepting : split.eligible;
      if (selected.length === 0 && split !== null && split.excluded.length > 0) {
        throw new DomainException(
          ErrorCode.DeterminationMismatch,
          `選んだお問い合わせ${split.excluded.length}件のどれにも、この回答に合う判定がありません。何も送信していません。`,
        );
      }
      if (selected.length === 0) {
        throw new ValidationFailedException(
          [{ field: 'selection', message: '送信先のお問い合わせがありません。' }],
          '送信先のお問い合わせがありません。',
        );
      }
      if (selected.length !== request.expectedCount) {
        throw new DomainException(
          ErrorCode.BulkSelectionChanged,
          `確認後に送信先が変わりました（${request.expectedCount}件 → ${selected.length}件）。もう一度確認してください。`,
        );
      }
      const now = this.clock.now();
      const inserted = await manager.insert(BulkSend, {
        merchantId: resolved.preview.merchantId,
        incidentId: resolved.preview.incidentId,
        versionId: resolved.preview.answer.versionId,
        selection: request.selection,
        state: 'running',
        total: selected.length,
        createdByUserId: actor.userId,
        createdAt: now,
        finishedAt: null,
      });
      const runId = Number(inserted.identifiers[0]?.id);
      for (let offset = 0; offset < selected.length; offset += INSERT_CHUNK) {
        await manager.insert(
          BulkSendItem,
          selected.slice(offset, offset + INSERT_CHUNK).map((ticket) => ({
            bulkSendId: runId,
            ticketId: ticket.id,
            state: 'pending' as const,
            skipReason: null,
            messageId: null,
            processedAt: null,
          })),
        );
      }
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.bulkSendStarted,
          merchantId: resolved.preview.merchantId,
          target: { type: 'bulk_send', id: runId },
          ip: actor.ip,
          detail: {
            selection: request.selection,
            templateId: resolved.preview.templateId,
            versionId: resolved.preview.answer.versionId,
            version: resolved.preview.answer.version,
            count: selected.length,
            ...(split === null ? {} : { excludedByDetermination: split.excluded.length }),
          },
        },
        now,
      );
      return runId;
    });
  }

  /** Runs visible in a scope, newest first: staff all, a merchant its own. */
  async list(scope: TenantScope, limit = 50): Promise<BulkSendSummary[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(BulkSend, 'run')
      .orderBy('run.id', 'DESC')
      .limit(limit);
    if (scope.kind === 'merchant') {
      query.where('run.merchantId = :merchantId', { merchantId: scope.merchantId });
    } else if (scope.queueIds !== 'all') {
      return [];
    }
    return this.summaries(await query.getMany());
  }

  /** One run with a page of its items; another merchant's run is 404. */
  async get(
    scope: TenantScope,
    id: number,
    page = 1,
  ): Promise<{ run: BulkSendSummary; items: Page<BulkSendItemView> }> {
    const run = await this.findVisible(scope, id);
    const [summary] = await this.summaries([run]);
    const pageNumber = Math.max(1, Math.trunc(page) || 1);
    const [rows, total] = await this.dataSource.manager
      .createQueryBuilder(BulkSendItem, 'item')
      .innerJoinAndSelect('item.ticket', 'ticket')
      .where('item.bulkSendId = :id', { id: run.id })
      .orderBy('item.id', 'ASC')
      .offset((pageNumber - 1) * BULK_ITEMS_PAGE_SIZE)
      .limit(BULK_ITEMS_PAGE_SIZE)
      .getManyAndCount();
    return {
      run: summary as BulkSendSummary,
      items: {
        items: rows.map((item) => ({
          reference: (item.ticket as Ticket).reference,
          state: item.state,
          skipReason: item.skipReason,
          processedAt: item.processedAt,
        })),
        total,
        page: pageNumber,
        pageSize: BULK_ITEMS_PAGE_SIZE,
      },
    };
  }

  /** Stops a running run: items not yet sent are skipped (`cancelled`). Audited. */
  async cancel(scope: TenantScope, id: number, actor: TicketActor): Promise<void> {
    const run = await this.findVisible(scope, id);
    await runTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const stopped = await manager
        .createQueryBuilder()
        .update(BulkSend)
        .set({ state: 'cancelled', finishedAt: now })
        .where('id = :id AND state = :running', { id: run.id, running: 'running' })
        .execute();
      if (stopped.affected !== 1) {
        throw new DomainException(
          ErrorCode.InvalidStatusTransition,
          'この一括送信は既に終わっています。',
        );
      }
      const skipped = await manager
        .createQueryBuilder()
        .update(BulkSendItem)
        .set({ state: 'skipped', skipReason: 'cancelled', processedAt: now })
        .where('bulkSendId = :id AND state = :pending', { id: run.id, pending: 'pending' })
        .execute();
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.bulkSendCancelled,
          merchantId: run.merchantId,
          target: { type: 'bulk_send', id: run.id },
          ip: actor.ip,
          detail: { skipped: skipped.affected ?? 0 },
        },
        now,
      );
    });
  }

  /**
   * Sends up to `limit` pending items of running runs, oldest first; returns how many were
   * processed (sent or skipped). Safe to run on several instances at once.
   */
  async processBatch(limit: number): Promise<number> {
    const manager = this.dataSource.manager;
    const items = await manager
      .createQueryBuilder(BulkSendItem, 'item')
      .innerJoin(BulkSend, 'run', 'run.id = item.bulkSendId AND run.state = :running', {
        running: 'running',
      })
      .where('item.state = :pending', { pending: 'pending' })
      .orderBy('item.id', 'ASC')
      .limit(limit)
      .getMany();
    if (items.length === 0) return 0;
    const runs = new Map(
      (
        await manager.findBy(BulkSend, { id: In([...new Set(items.map((i) => i.bulkSendId))]) })
      ).map((run) => [run.id, run]),
    );
    let processed = 0;
    for (const item of items) {
      const run = runs.get(item.bulkSendId);
      if (run && (await this.sendItem(run, item))) processed += 1;
    }
    for (const run of runs.values()) await this.finishIfDone(run);
    return processed;
  }

  /** One item: a reply in the merchant's name, conditional on the item still being pending. */
  private async sendItem(run: BulkSend, item: BulkSendItem): Promise<boolean> {
    const manager = this.dataSource.manager;
    const ticket = await manager.findOneBy(Ticket, { id: item.ticketId });
    if (!ticket || ticket.erasedAt !== null || !acceptsAgentMessages(ticket.status)) {
      return this.skip(item, 'not_accepting');
    }
    const author = await manager.findOne(User, {
      select: { id: true, displayName: true, disabledAt: true },
      where: { id: run.createdByUserId },
    });
    if (!author || author.disabledAt !== null) return this.skip(item, 'author_disabled');
    const body = await this.filledBody(manager, run, ticket, author.displayName);
    if (body === null) return this.skip(item, 'superseded');
    // Issue 13.3: a correction names the older-version reply it replaces (mail 【訂正】, status page).
    const correctsMessageId =
      run.selection === 'outdated_receivers'
        ? await this.correctedMessageId(manager, run, ticket.id)
        : null;
    try {
      // The job's own scope, not its creator's: the run was checked against that user's scope
      // when it started; the reply is still written in their name.
      await this.work.reply(
        systemScope('bulk-send'),
        ticket.reference,
        { body, answerVersionId: run.versionId },
        { userId: run.createdByUserId, ip: null },
        {
          auditDetail: { bulkSendId: run.id },
          ...(correctsMessageId === null ? {} : { correction: { correctsMessageId } }),
          withinTransaction: async (tx, messageId) => {
            const received = await tx
              .createQueryBuilder(Message, 'message')
              .where('message.ticketId = :ticketId', { ticketId: ticket.id })
              .andWhere('message.answerVersionId = :versionId', { versionId: run.versionId })
              .andWhere('message.id <> :messageId', { messageId })
              .getCount();
            if (received > 0) throw new ItemNotSendable('already_received');
            const marked = await tx
              .createQueryBuilder()
              .update(BulkSendItem)
              .set({ state: 'sent', messageId, processedAt: this.clock.now() })
              .where('id = :id AND state = :pending', { id: item.id, pending: 'pending' })
              .execute();
            if (marked.affected !== 1) throw new ItemNotSendable('taken');
          },
        },
      );
      return true;
    } catch (error) {
      if (error instanceof ItemNotSendable) {
        return error.reason === 'taken' ? false : this.skip(item, error.reason);
      }
      if (error instanceof DomainException) {
        if (error.code === ErrorCode.AnswerNotApproved) return this.skip(item, 'superseded');
        // The ticket's determination changed after the run started (issue 13.1).
        if (error.code === ErrorCode.DeterminationMismatch) {
          return this.skip(item, 'determination_mismatch');
        }
        if (error.code === ErrorCode.ReplyUndeliverable) return this.skip(item, 'no_email');
        if (error.code === ErrorCode.InvalidStatusTransition || error.code === ErrorCode.NotFound) {
          return this.skip(item, 'not_accepting');
        }
      }
      // A concurrent edit (StaleVersion) or a passing database fault: the item stays pending
      // and the next batch tries again.
      this.logger.warn(
        `bulk send ${run.id}: item ${item.id} not sent yet: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  /**
   * The reply text for one ticket, with the canned placeholders filled; null when the run's
   * version is no longer the newest the merchant approved.
   */
  private async filledBody(
    manager: EntityManager,
    run: BulkSend,
    ticket: Ticket,
    authorName: string,
  ): Promise<string | null> {
    const version = await manager.findOneBy(AnswerTemplateVersion, { id: run.versionId });
    if (!version) return null;
    const newest = (
      await newestApprovedVersions(manager, run.merchantId, [version.templateId])
    ).get(version.templateId);
    if (!newest || newest.versionId !== run.versionId) return null;
    const [merchant, site] = await Promise.all([
      manager.findOneByOrFail(Merchant, { id: ticket.merchantId }),
      ticket.siteId === null ? null : manager.findOneBy(Site, { id: ticket.siteId }),
    ]);
    return renderCannedResponse(newest.body, {
      name: this.cipher.decryptNullable(ticket.requesterName),
      reference: ticket.reference,
      merchant: merchant.name,
      site: site?.displayName ?? merchant.name,
      agent: authorName,
    });
  }

  /**
   * The reply a correction replaces: the ticket's newest reply that used an older version of
   * the run's template (what the outdated-receivers list found), or null.
   */
  private async correctedMessageId(
    manager: EntityManager,
    run: BulkSend,
    ticketId: number,
  ): Promise<number | null> {
    const version = await manager.findOneBy(AnswerTemplateVersion, { id: run.versionId });
    if (!version) return null;
    const row = await manager
      .createQueryBuilder(Message, 'message')
      .innerJoin(AnswerTemplateVersion, 'used', 'used.id = message.answerVersionId')
      .select('message.id', 'id')
      .where('message.ticketId = :ticketId', { ticketId })
      .andWhere("message.kind = 'reply'")
      .andWhere('used.templateId = :templateId', { templateId: version.templateId })
      .andWhere('used.version < :version', { version: version.version })
      .orderBy('message.id', 'DESC')
      .limit(1)
      .getRawOne<{ id: number | string }>();
    return row ? Number(row.id) : null;
  }

  private async skip(item: BulkSendItem, reason: BulkSkipReason): Promise<boolean> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(BulkSendItem)
      .set({ state: 'skipped', skipReason: reason, processedAt: this.clock.now() })
      .where('id = :id AND state = :pending', { id: item.id, pending: 'pending' })
      .execute();
    return result.affected === 1;
  }

  /** The last item done: the run completes once (conditional update), with its audit event. */
  private async finishIfDone(run: BulkSend): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const pending = await manager.countBy(BulkSendItem, {
        bulkSendId: run.id,
        state: 'pending',
      });
      if (pending > 0) return;
      const now = this.clock.now();
      const finished = await manager
        .createQueryBuilder()
        .update(BulkSend)
        .set({ state: 'completed', finishedAt: now })
        .where('id = :id AND state = :running', { id: run.id, running: 'running' })
        .execute();
      if (finished.affected !== 1) return;
      const counts = await this.itemCounts(manager, [run.id]);
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.bulkSendCompleted,
          merchantId: run.merchantId,
          target: { type: 'bulk_send', id: run.id },
          detail: counts.get(run.id) ?? { sent: 0, skipped: 0, pending: 0 },
        },
        now,
      );
    });
  }

  /** Checks the request and what it names, as the scope may see it. */
  private async resolve(
    manager: EntityManager,
    scope: TenantScope,
    request: BulkSendRequest,
  ): Promise<{
    preview: Omit<BulkSendPreview, 'count' | 'notAccepting' | 'sample' | 'determination'>;
  }> {
    const errors = [
      ...(BULK_SEND_SELECTIONS.includes(request.selection)
        ? []
        : [{ field: 'selection', message: '送信先の種類を選んでください。' }]),
      ...(Number.isInteger(request.templateId) && request.templateId > 0
        ? []
        : [{ field: 'templateId', message: '回答テンプレートを選んでください。' }]),
      ...(scope.kind === 'merchant' ||
      (Number.isInteger(request.merchantId) && request.merchantId > 0)
        ? []
        : [{ field: 'merchantId', message: '加盟店を選んでください。' }]),
    ];
    if (errors.length > 0) throw new ValidationFailedException(errors);
    if (scope.kind === 'staff' && scope.queueIds !== 'all') {
      throw new DomainException(
        ErrorCode.Forbidden,
        '一括送信は管理者とスーパーバイザーが行います。',
      );
    }
    const merchantId = scope.kind === 'merchant' ? scope.merchantId : request.merchantId;
    const [merchant, template] = await Promise.all([
      manager.findOneBy(Merchant, { id: merchantId }),
      manager.findOneBy(AnswerTemplate, { id: request.templateId }),
    ]);
    // A template of an incident that does not affect the merchant does not exist for it.
    if (!merchant) throw new NotFoundException('加盟店が見つかりません。');
    if (!template || !(await isMerchantAffected(manager, merchant.id, template.incidentId))) {
      throw new NotFoundException('回答テンプレートが見つかりません。');
    }
    const answer = (await newestApprovedVersions(manager, merchant.id, [template.id])).get(
      template.id,
    );
    if (!answer) {
      throw new ValidationFailedException(
        [{ field: 'templateId', message: 'この加盟店が承認した版がまだありません。' }],
        'この回答テンプレートには、加盟店が承認した版がありません。',
      );
    }
    const incident = await manager.findOneByOrFail(Incident, { id: template.incidentId });
    return {
      preview: {
        merchantId: merchant.id,
        merchantName: merchant.name,
        incidentId: incident.id,
        incidentTitle: incident.title,
        templateId: template.id,
        selection: request.selection,
        answer,
      },
    };
  }

  /**
   * The tickets of the selection (all statuses for corrections; the caller filters those that
   * take replies), minus those that already received this version. Scoped like every ticket
   * read, and narrowed to the one merchant.
   */
  private async selectTickets(
    manager: EntityManager,
    scope: TenantScope,
    resolved: {
      preview: Omit<BulkSendPreview, 'count' | 'notAccepting' | 'sample' | 'determination'>;
    },
  ): Promise<SelectedTicket[]> {
    const { merchantId, incidentId, answer, selection } = resolved.preview;
    const query = scopedTicketQuery(manager, scope)
      .select(['ticket.id', 'ticket.reference', 'ticket.status'])
      .andWhere('ticket.merchantId = :merchantId', { merchantId })
      .andWhere('ticket.erasedAt IS NULL')
      // Issue 15: a ticket without an email address (phone only) cannot receive an answer.
      .andWhere('ticket.requesterEmail IS NOT NULL')
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM messages received WHERE received.ticket_id = ticket.id AND received.answer_version_id = :versionId)`,
        { versionId: answer.versionId },
      )
      .orderBy('ticket.id', 'ASC')
      .limit(BULK_SEND_MAX_ITEMS + 1);
    if (selection === 'incident_open') {
      query
        .andWhere('ticket.incidentId = :incidentId', { incidentId })
        .andWhere('ticket.status IN (:...statuses)', { statuses: [...BULK_OPEN_STATUSES] });
    } else {
      const outdated = await this.outdatedTicketIds(scope, merchantId, answer.templateId);
      if (outdated.length === 0) return [];
      query.andWhereInIds(outdated);
    }
    const tickets = await query.getMany();
    if (tickets.length > BULK_SEND_MAX_ITEMS) {
      throw new ValidationFailedException(
        [{ field: 'selection', message: `一度に送れるのは${BULK_SEND_MAX_ITEMS}件までです。` }],
        `送信先が多すぎます（${BULK_SEND_MAX_ITEMS}件まで）。`,
      );
    }
    return tickets.map((ticket) => ({
      id: ticket.id,
      reference: ticket.reference,
      status: ticket.status,
    }));
  }

  /** Every receiver of an older version, of one merchant, through the incident answers' list. */
  private async outdatedTicketIds(
    scope: TenantScope,
    merchantId: number,
    templateId: number,
  ): Promise<number[]> {
    const merchantScope: TenantScope = { kind: 'merchant', userId: scope.userId, merchantId };
    const ids: number[] = [];
    for (let page = 1; ; page += 1) {
      const result = await this.incidentAnswers.listOutdatedReceivers(merchantScope, templateId, {
        page,
        pageSize: 100,
      });
      ids.push(...result.items.map((item) => item.ticketId));
      if (page * result.pageSize >= result.total || ids.length > BULK_SEND_MAX_ITEMS) break;
    }
    return ids;
  }

  private async findVisible(scope: TenantScope, id: number): Promise<BulkSend> {
    const run = Number.isInteger(id)
      ? await this.dataSource.manager.findOneBy(BulkSend, { id })
      : null;
    if (
      !run ||
      (scope.kind === 'merchant' && run.merchantId !== scope.merchantId) ||
      (scope.kind === 'staff' && scope.queueIds !== 'all')
    ) {
      throw new NotFoundException('一括送信が見つかりません。');
    }
    return run;
  }

  private async summaries(runs: BulkSend[]): Promise<BulkSendSummary[]> {
    if (runs.length === 0) return [];
    const manager = this.dataSource.manager;
    const rows = await manager
      .createQueryBuilder(BulkSend, 'run')
      .innerJoin('run.merchant', 'merchant')
      .innerJoin('run.incident', 'incident')
      .innerJoin('run.version', 'version')
      .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
      .leftJoin('run.createdBy', 'author')
      .select('run.id', 'id')
      .addSelect('merchant.name', 'merchantName')
      .addSelect('incident.title', 'incidentTitle')
      .addSelect('template.title', 'templateTitle')
      .addSelect('version.version', 'version')
      .addSelect('author.displayName', 'createdByName')
      .where('run.id IN (:...ids)', { ids: runs.map((run) => run.id) })
      .getRawMany<{
        id: number | string;
        merchantName: string;
        incidentTitle: string;
        templateTitle: string;
        version: number | string;
        createdByName: string | null;
      }>();
    const labels = new Map(rows.map((row) => [Number(row.id), row]));
    const counts = await this.itemCounts(
      manager,
      runs.map((run) => run.id),
    );
    return runs.map((run) => {
      const label = labels.get(run.id);
      const count = counts.get(run.id) ?? { sent: 0, skipped: 0, pending: 0 };
      return {
        id: run.id,
        merchantId: run.merchantId,
        merchantName: label?.merchantName ?? '',
        incidentTitle: label?.incidentTitle ?? '',
        templateTitle: label?.templateTitle ?? '',
        version: Number(label?.version ?? 0),
        selection: run.selection,
        state: run.state,
        total: run.total,
        ...count,
        createdByName: label?.createdByName ?? null,
        createdAt: run.createdAt,
        finishedAt: run.finishedAt,
      };
    });
  }

  private async itemCounts(
    manager: EntityManager,
    runIds: number[],
  ): Promise<Map<number, { sent: number; skipped: number; pending: number }>> {
    const rows = await manager
      .createQueryBuilder(BulkSendItem, 'item')
      .select('item.bulkSendId', 'runId')
      .addSelect('item.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .where('item.bulkSendId IN (:...runIds)', { runIds })
      .groupBy('item.bulkSendId')
      .addGroupBy('item.state')
      .getRawMany<{ runId: number | string; state: string; count: number | string }>();
    const counts = new Map<number, { sent: number; skipped: number; pending: number }>();
    for (const row of rows) {
      const entry = counts.get(Number(row.runId)) ?? { sent: 0, skipped: 0, pending: 0 };
      if (row.state === 'sent' || row.state === 'skipped' || row.state === 'pending') {
        entry[row.state] = Number(row.count);
      }
      counts.set(Number(row.runId), entry);
    }
    return counts;
  }
}
