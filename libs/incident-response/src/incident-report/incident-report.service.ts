import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  NotFoundException,
  runTransaction,
  tokyoDateOf,
  tokyoDayEnd,
  tokyoDayStart,
} from '@madoguchi/common';
import {
  ANSWER_PURPOSES,
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  type AnswerPurpose,
  Incident,
  IncidentMerchant,
} from '@madoguchi/incidents';
import { Merchant, merchantInScope, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { summariseTickets, type MerchantStatsRow } from '@madoguchi/reporting';
import { type AnswerProvenance, Message, scopedTicketQuery, Ticket } from '@madoguchi/tickets';
import { AffectedListEntry } from '../affected-list/affected-list-entry.entity';
import { AffectedListUpload } from '../affected-list/affected-list-upload.entity';
import { BulkSend, BulkSendItem } from '../bulk-send/bulk-send.entity';
import { LeakCheckCode } from '../leak-check/leak-check-code.entity';
import { LEAK_CHECK_MAX_ATTEMPTS } from '../leak-check/leak-check.service';
import { TicketDetermination } from '../determination/ticket-determination.entity';
import { FaqPageStat } from '../faq/faq-page-stat.entity';
import {
  ANSWER_SEND_PATHS,
  type AnswerSendPath,
  type IncidentReport,
  type IncidentReportAccess,
  type IncidentReportAccessRow,
  type IncidentReportAffectedList,
  type IncidentReportAnswerRow,
  type IncidentReportCalls,
  type IncidentReportCorrections,
  type IncidentReportDeterminations,
  type IncidentReportFaq,
  type IncidentReportFigures,
  type IncidentReportMerchantQuestions,
  type IncidentReportHeader,
  type IncidentReportOptions,
  type IncidentReportSection,
  type IncidentReportTemplateRow,
  type IncidentReportVerifications,
} from './incident-report.type';

const NOT_FOUND = 'インシデントが見つかりません。';
/** Purposes of answers sent to a shopper: the public page's `faq` answers are read, not sent. */
const SENT_PURPOSES = ANSWER_PURPOSES.filter((purpose) => purpose !== 'faq');
/** Audit actions that opened a ticket's personal data (the case, a handed-back case's contact). */
const TICKET_VIEW_ACTIONS = [AUDIT_ACTIONS.ticketViewed, AUDIT_ACTIONS.handBackContactViewed];
/** Ids per IN (…) list: far below MySQL's and SQLite's parameter limits. */
const CHUNK = 1000;

/** Which merchant(s) a report is about: a merchant's own, one the operator chose, or all. */
export interface IncidentReportRequest {
  /** Staff only: one affected merchant; undefined: every affected merchant. Ignored for a merchant scope. */
  merchantId?: number;
}

export type IncidentReportFormat = 'html' | 'csv';

type TicketRow = MerchantStatsRow &
  Pick<Ticket, 'id' | 'handBackAnsweredAt' | 'handBackRemindedAt'>;

interface Line {
  merchantId: number;
  merchantName: string;
  merchantCode: string;
  noticeDate: string | null;
}

/**
 * The incident report (issue 13, point 7): per incident and affected merchant, the aggregates
 * a merchant's board and a report to the PPC need — inquiries, calls, the affected list's size,
 * verifications, approved answers sent, corrections, hand-backs, SLA attainment and who opened
 * personal data. Aggregates only: no value of a ticket, a list or a call leaves this service;
 * the access section names staff (users) and counts.
 *
 * Tenancy: every ticket read starts from {@link scopedTicketQuery}; a merchant scope reaches
 * only its own line of an incident that affects it (anything else is 404), staff reach the
 * affected merchants their scope holds. Every other table is read by the merchant id of a line
 * that passed those checks, and through the ids of tickets read that way.
 */
@Injectable()
export class IncidentReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Builds the report and records `incident_report.viewed` or `incident_report.exported`. */
  async generate(
    scope: TenantScope,
    actor: TicketActor,
    incidentId: number,
    request: IncidentReportRequest,
    options: IncidentReportOptions & { format: IncidentReportFormat },
    now = this.clock.now(),
  ): Promise<IncidentReport> {
    const report = await this.build(scope, incidentId, request, options, now);
    const merchantIds = report.sections.map((section) => section.merchantId);
    await runTransaction(this.dataSource, (manager) =>
      this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action:
            options.format === 'csv'
              ? AUDIT_ACTIONS.incidentReportExported
              : AUDIT_ACTIONS.incidentReportViewed,
          merchantId:
            scope.kind === 'merchant'
              ? scope.merchantId
              : request.merchantId !== undefined
                ? request.merchantId
                : null,
          target: { type: 'incident', id: incidentId },
          ip: actor.ip,
          detail: {
            format: options.format,
            merchantIds,
            from: report.header.period.from,
            to: report.header.period.to,
          },
        },
        now,
      ),
    );
    return report;
  }

  /** The report without an audit event (the page and the CSV go through {@link generate}). */
  async build(
    scope: TenantScope,
    incidentId: number,
    request: IncidentReportRequest,
    options: IncidentReportOptions,
    now = this.clock.now(),
  ): Promise<IncidentReport> {
    const manager = this.dataSource.manager;
    if (!Number.isSafeInteger(incidentId) || incidentId <= 0)
      throw new NotFoundException(NOT_FOUND);
    const incident = await manager.findOneBy(Incident, { id: incidentId });
    if (!incident) throw new NotFoundException(NOT_FOUND);
    const lines = await this.lines(manager, scope, incidentId, request);

    const ticketsByMerchant = new Map<number, TicketRow[]>();
    for (const line of lines) {
      ticketsByMerchant.set(line.merchantId, await this.tickets(manager, scope, incidentId, line));
    }
    const period = periodOf(incident, lines, [...ticketsByMerchant.values()].flat(), now);
    const sections: IncidentReportSection[] = [];
    for (const line of lines) {
      const tickets = ticketsByMerchant.get(line.merchantId) ?? [];
      const figures = await this.figures(manager, incidentId, line, tickets, period, options, now);
      sections.push({ ...line, ...figures });
    }
    const header: IncidentReportHeader = {
      incidentId: incident.id,
      title: incident.title,
      description: incident.description,
      leakedItems: incident.leakedItems,
      occurredFrom: incident.occurredFrom,
      occurredTo: incident.occurredTo,
      recordedAt: incident.createdAt,
      period,
      generatedAt: now,
    };
    const single = scope.kind === 'merchant' || request.merchantId !== undefined;
    return {
      header,
      sections,
      total: single
        ? null
        : totalOf(sections, [...ticketsByMerchant.values()].flat(), period, options, now),
    };
  }

  /** The affected merchants of an incident the scope may report on (for the operator's links). */
  async merchants(
    scope: TenantScope,
    incidentId: number,
  ): Promise<{ merchantId: number; merchantName: string; merchantCode: string }[]> {
    const manager = this.dataSource.manager;
    if (
      !Number.isSafeInteger(incidentId) ||
      !(await manager.existsBy(Incident, { id: incidentId }))
    )
      throw new NotFoundException(NOT_FOUND);
    return (await this.lines(manager, scope, incidentId, {})).map((line) => ({
      merchantId: line.merchantId,
      merchantName: line.merchantName,
      merchantCode: line.merchantCode,
    }));
  }

  /** The affected merchants the report covers, as the scope may see them; 404 otherwise. */
  private async lines(
    manager: EntityManager,
    scope: TenantScope,
    incidentId: number,
    request: IncidentReportRequest,
  ): Promise<Line[]> {
    const query = manager
      .getRepository(IncidentMerchant)
      .createQueryBuilder('im')
      .innerJoin(Merchant, 'merchant', 'merchant.id = im.merchantId')
      .select('im.merchantId', 'merchantId')
      .addSelect('merchant.name', 'merchantName')
      .addSelect('merchant.code', 'merchantCode')
      .addSelect('im.noticeDate', 'noticeDate')
      .where('im.incidentId = :incidentId', { incidentId })
      .andWhere('im.affected = :affected', { affected: true })
      .orderBy('merchant.name', 'ASC')
      .addOrderBy('im.merchantId', 'ASC');
    if (scope.kind === 'merchant') {
      query.andWhere('im.merchantId = :merchantId', { merchantId: scope.merchantId });
    } else if (request.merchantId !== undefined) {
      if (!Number.isSafeInteger(request.merchantId)) throw new NotFoundException(NOT_FOUND);
      query.andWhere('im.merchantId = :merchantId', { merchantId: request.merchantId });
    }
    const rows = await query.getRawMany<{
      merchantId: number | string;
      merchantName: string;
      merchantCode: string;
      noticeDate: string | null;
    }>();
    const lines: Line[] = [];
    for (const row of rows) {
      const merchantId = Number(row.merchantId);
      if (!(await merchantInScope(manager, scope, merchantId))) continue;
      lines.push({
        merchantId,
        merchantName: row.merchantName,
        merchantCode: row.merchantCode,
        noticeDate: row.noticeDate,
      });
    }
    // A merchant's own report, or the one merchant asked for: not affected (or not visible) is 404.
    if (lines.length === 0 && (scope.kind === 'merchant' || request.merchantId !== undefined)) {
      throw new NotFoundException(NOT_FOUND);
    }
    return lines;
  }

  /** The incident's tickets of one merchant: a few non-personal columns, through the scope. */
  private tickets(
    manager: EntityManager,
    scope: TenantScope,
    incidentId: number,
    line: Line,
  ): Promise<TicketRow[]> {
    return scopedTicketQuery(manager, scope)
      .select([
        'ticket.id',
        'ticket.createdAt',
        'ticket.category',
        'ticket.channel',
        'ticket.status',
        'ticket.firstResponseDueAt',
        'ticket.firstRespondedAt',
        'ticket.resolutionDueAt',
        'ticket.resolvedAt',
        'ticket.mergedIntoId',
        'ticket.handBackAnsweredAt',
        'ticket.handBackRemindedAt',
      ])
      .andWhere('ticket.incidentId = :incidentId', { incidentId })
      .andWhere('ticket.merchantId = :reportMerchantId', { reportMerchantId: line.merchantId })
      .orderBy('ticket.id', 'ASC')
      .getMany();
  }

  private async figures(
    manager: EntityManager,
    incidentId: number,
    line: Line,
    tickets: readonly TicketRow[],
    period: { from: string; to: string },
    options: IncidentReportOptions,
    now: Date,
  ): Promise<IncidentReportFigures> {
    const ticketIds = tickets.map((ticket) => ticket.id);
    const stats = summariseTickets(tickets, period, now);
    const replies = await this.answerReplies(manager, ticketIds);
    const codes = await byChunks(ticketIds, (ids) =>
      manager.find(LeakCheckCode, {
        select: {
          id: true,
          ticketId: true,
          attempts: true,
          expiresAt: true,
          usedAt: true,
          result: true,
        },
        where: { ticketId: In(ids) },
      }),
    );
    const verifications = verificationsOf(codes, now);
    return {
      inquiries: {
        total: stats.total,
        byCategory: stats.byCategory,
        byChannel: stats.byChannel,
        days: stats.days,
        open: stats.open,
        resolved: stats.resolved,
        handedBack: stats.handedBack,
      },
      calls: await this.calls(manager, incidentId, line.merchantId, period),
      affectedList: await this.affectedList(manager, incidentId, line.merchantId),
      verifications,
      determinations: await this.determinations(manager, incidentId, line.merchantId),
      answersSent: answersSentOf(replies, verifications),
      corrections: await this.corrections(manager, incidentId, line.merchantId, replies),
      handBacks: {
        handedBack: await this.handedBackTickets(manager, incidentId, line.merchantId),
        stillHandedBack: stats.handedBack,
        answered: tickets.filter((t) => t.handBackAnsweredAt !== null).length,
        reminded: tickets.filter((t) => t.handBackRemindedAt !== null).length,
      },
      merchantQuestions: await this.merchantQuestions(manager, ticketIds),
      faq: await this.faq(manager, line.merchantId, period),
      sla: { firstResponse: stats.firstResponse, resolution: stats.resolution },
      access: options.includeAccess
        ? await this.access(manager, incidentId, line.merchantId, ticketIds, period)
        : null,
    };
  }

  /** Replies that used an approved version, with their template and whether a bulk send sent them. */
  private async answerReplies(
    manager: EntityManager,
    ticketIds: readonly number[],
  ): Promise<AnswerReply[]> {
    const rows = await byChunks(ticketIds, (ids) =>
      manager
        .getRepository(Message)
        .createQueryBuilder('message')
        .innerJoin(AnswerTemplateVersion, 'version', 'version.id = message.answerVersionId')
        .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
        .leftJoin(BulkSendItem, 'item', 'item.messageId = message.id')
        .select('message.id', 'messageId')
        .addSelect('message.ticketId', 'ticketId')
        .addSelect('version.version', 'version')
        .addSelect('template.id', 'templateId')
        .addSelect('template.purpose', 'purpose')
        .addSelect('item.id', 'itemId')
        .addSelect('message.answerProvenance', 'provenance')
        .addSelect('message.correctsMessageId', 'correctsMessageId')
        .where('message.ticketId IN (:...ids)', { ids })
        .andWhere('message.kind = :kind', { kind: 'reply' })
        .getRawMany<{
          messageId: number | string;
          ticketId: number | string;
          version: number | string;
          templateId: number | string;
          purpose: AnswerPurpose;
          itemId: number | string | null;
          provenance: AnswerProvenance | null;
          correctsMessageId: number | string | null;
        }>(),
    );
    return rows.map((row): AnswerReply => ({
      messageId: Number(row.messageId),
      ticketId: Number(row.ticketId),
      version: Number(row.version),
      templateId: Number(row.templateId),
      purpose: row.purpose,
      path: row.itemId === null ? 'agent' : 'bulk',
      provenance: row.provenance,
      correction: row.correctsMessageId !== null,
    }));
  }

  /**
   * The merchant's calls started in the period, by outcome. By entity name, not class: the
   * Call entity lives in @madoguchi/calls, a sibling of this lib over tickets, and siblings do
   * not import each other; TypeORM still maps the properties.
   */
  private async calls(
    manager: EntityManager,
    incidentId: number,
    merchantId: number,
    period: { from: string; to: string },
  ): Promise<IncidentReportCalls> {
    const base = () =>
      manager
        .getRepository('Call')
        .createQueryBuilder('call')
        .where('call.merchantId = :merchantId', { merchantId })
        .andWhere('call.startedAt >= :from', { from: tokyoDayStart(period.from) })
        .andWhere('call.startedAt < :to', { to: tokyoDayEnd(period.to) });
    const rows = await base()
      .select('call.outcome', 'outcome')
      .addSelect('COUNT(*)', 'count')
      .groupBy('call.outcome')
      .getRawMany<{ outcome: string | null; count: number | string }>();
    const byOutcome: Record<string, number> = {};
    let total = 0;
    for (const row of rows) {
      const key = row.outcome ?? 'in_progress';
      byOutcome[key] = (byOutcome[key] ?? 0) + Number(row.count);
      total += Number(row.count);
    }
    const linked = await base()
      .innerJoin(Ticket, 'linked', 'linked.id = call.ticketId')
      .andWhere('linked.incidentId = :incidentId', { incidentId })
      .getCount();
    return { total, byOutcome, linkedToIncident: linked };
  }

  private async affectedList(
    manager: EntityManager,
    incidentId: number,
    merchantId: number,
  ): Promise<IncidentReportAffectedList> {
    const kinds = await manager
      .getRepository(AffectedListEntry)
      .createQueryBuilder('entry')
      .select('entry.kind', 'kind')
      .addSelect('COUNT(*)', 'count')
      .where('entry.incidentId = :incidentId AND entry.merchantId = :merchantId', {
        incidentId,
        merchantId,
      })
      .groupBy('entry.kind')
      .getRawMany<{ kind: string; count: number | string }>();
    const values = { email: 0, phone: 0, order: 0, total: 0 };
    for (const row of kinds) {
      if (row.kind === 'email' || row.kind === 'phone' || row.kind === 'order')
        values[row.kind] += Number(row.count);
      values.total += Number(row.count);
    }
    const uploads = await manager.find(AffectedListUpload, {
      select: { id: true, mode: true, rowsAdded: true, rowsRejected: true, createdAt: true },
      where: { incidentId, merchantId },
      order: { id: 'ASC' },
    });
    let rows = 0;
    let rowsRejected = 0;
    for (const upload of uploads) {
      if (upload.mode === 'replace') {
        rows = 0;
        rowsRejected = 0;
      }
      rows += upload.rowsAdded;
      rowsRejected += upload.rowsRejected;
    }
    return {
      values,
      uploads: uploads.length,
      lastUploadAt: uploads.at(-1)?.createdAt ?? null,
      rows,
      rowsRejected,
    };
  }

  /** Versions superseded, receivers of an older version, and the correction runs. */
  private async corrections(
    manager: EntityManager,
    incidentId: number,
    merchantId: number,
    replies: readonly AnswerReply[],
  ): Promise<IncidentReportCorrections> {
    const templates = await manager.find(AnswerTemplate, {
      where: { incidentId },
      order: { id: 'ASC' },
    });
    const approvals =
      templates.length === 0
        ? []
        : await manager
            .getRepository(AnswerApproval)
            .createQueryBuilder('approval')
            .innerJoin(AnswerTemplateVersion, 'version', 'version.id = approval.versionId')
            .select('version.templateId', 'templateId')
            .addSelect('version.version', 'version')
            .where('approval.merchantId = :merchantId', { merchantId })
            .andWhere('approval.decision = :approved', { approved: 'approved' })
            .andWhere('version.templateId IN (:...templateIds)', {
              templateIds: templates.map((t) => t.id),
            })
            .getRawMany<{ templateId: number | string; version: number | string }>();
    const rows: IncidentReportTemplateRow[] = templates.map((template) => {
      const approved = approvals
        .filter((a) => Number(a.templateId) === template.id)
        .map((a) => Number(a.version));
      const versionInUse = approved.length === 0 ? null : Math.max(...approved);
      return {
        templateId: template.id,
        title: template.title,
        purpose: template.purpose,
        versionInUse,
        supersededVersions: Math.max(0, approved.length - 1),
        outdatedReceivers:
          versionInUse === null ? 0 : outdatedReceivers(replies, template.id, versionInUse),
      };
    });
    const items = await manager
      .getRepository(BulkSendItem)
      .createQueryBuilder('item')
      .innerJoin(BulkSend, 'run', 'run.id = item.bulkSendId')
      .select('item.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .where('run.incidentId = :incidentId AND run.merchantId = :merchantId', {
        incidentId,
        merchantId,
      })
      .andWhere('run.selection = :selection', { selection: 'outdated_receivers' })
      .groupBy('item.state')
      .getRawMany<{ state: string; count: number | string }>();
    const count = (state: string) =>
      items.filter((i) => i.state === state).reduce((sum, i) => sum + Number(i.count), 0);
    return {
      templates: rows,
      supersededVersions: rows.reduce((sum, r) => sum + r.supersededVersions, 0),
      outdatedReceivers: rows.reduce((sum, r) => sum + r.outdatedReceivers, 0),
      correctionRuns: await manager.countBy(BulkSend, {
        incidentId,
        merchantId,
        selection: 'outdated_receivers',
      }),
      correctionsSent: count('sent'),
      correctionsSkipped: count('skipped'),
      correctionsPending: count('pending'),
      correctionReplies: replies.filter((reply) => reply.correction).length,
    };
  }

  /** Current determinations by outcome and evidence, those flagged for review, and history. */
  private async determinations(
    manager: EntityManager,
    incidentId: number,
    merchantId: number,
  ): Promise<IncidentReportDeterminations> {
    const rows = await manager.find(TicketDetermination, {
      select: {
        id: true,
        outcome: true,
        evidence: true,
        supersededAt: true,
        reviewFlaggedAt: true,
      },
      where: { incidentId, merchantId },
    });
    const out: IncidentReportDeterminations = {
      included: { verifiedEmail: 0, agent: 0, total: 0 },
      notIncluded: { verifiedEmail: 0, agent: 0, total: 0 },
      reviewFlagged: 0,
      superseded: 0,
    };
    for (const row of rows) {
      if (row.supersededAt !== null) {
        out.superseded += 1;
        continue;
      }
      if (row.reviewFlaggedAt !== null) out.reviewFlagged += 1;
      const bucket = row.outcome === 'included' ? out.included : out.notIncluded;
      if (row.evidence === 'agent') bucket.agent += 1;
      else bucket.verifiedEmail += 1;
      bucket.total += 1;
    }
    return out;
  }

  /** Questions to the merchant (merchant_query) and its answers (merchant_answer). */
  private async merchantQuestions(
    manager: EntityManager,
    ticketIds: readonly number[],
  ): Promise<IncidentReportMerchantQuestions> {
    const rows = await byChunks(ticketIds, (ids) =>
      manager
        .getRepository(Message)
        .createQueryBuilder('message')
        .select('message.kind', 'kind')
        .addSelect('COUNT(*)', 'count')
        .where('message.ticketId IN (:...ids)', { ids })
        .andWhere('message.kind IN (:...kinds)', { kinds: ['merchant_query', 'merchant_answer'] })
        .groupBy('message.kind')
        .getRawMany<{ kind: string; count: number | string }>(),
    );
    const sum = (kind: string) =>
      rows.filter((row) => row.kind === kind).reduce((n, row) => n + Number(row.count), 0);
    return { asked: sum('merchant_query'), answered: sum('merchant_answer') };
  }

  /** The public incident page's counters of the merchant's sites over the period's days. */
  private async faq(
    manager: EntityManager,
    merchantId: number,
    period: { from: string; to: string },
  ): Promise<IncidentReportFaq> {
    const row = await manager
      .getRepository(FaqPageStat)
      .createQueryBuilder('stat')
      .select('COALESCE(SUM(stat.views), 0)', 'views')
      .addSelect('COALESCE(SUM(stat.inquiries), 0)', 'inquiries')
      .where('stat.merchantId = :merchantId', { merchantId })
      .andWhere('stat.day >= :from AND stat.day <= :to', { from: period.from, to: period.to })
      .getRawOne<{ views: number | string; inquiries: number | string }>();
    return { views: Number(row?.views ?? 0), inquiriesAfter: Number(row?.inquiries ?? 0) };
  }

  /** Distinct tickets of the incident with a `ticket.handed_back` event. */
  private async handedBackTickets(
    manager: EntityManager,
    incidentId: number,
    merchantId: number,
  ): Promise<number> {
    const row = await manager
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .innerJoin(
        Ticket,
        'handed',
        'handed.reference = event.targetId AND handed.merchantId = event.merchantId',
      )
      .select('COUNT(DISTINCT event.targetId)', 'count')
      .where('event.merchantId = :merchantId', { merchantId })
      .andWhere('event.action = :action', { action: AUDIT_ACTIONS.ticketHandedBack })
      .andWhere('event.targetType = :type', { type: 'ticket' })
      .andWhere('handed.incidentId = :incidentId', { incidentId })
      .getRawOne<{ count: number | string }>();
    return Number(row?.count ?? 0);
  }

  /**
   * Who opened personal data of the incident: per user, `ticket.viewed` of its tickets and
   * `call.viewed` of calls linked to them; `export.cases` of the merchant in the period.
   */
  private async access(
    manager: EntityManager,
    incidentId: number,
    merchantId: number,
    ticketIds: readonly number[],
    period: { from: string; to: string },
  ): Promise<IncidentReportAccess> {
    const ticketViews = await manager
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .innerJoin(
        Ticket,
        'viewed',
        'viewed.reference = event.targetId AND viewed.merchantId = event.merchantId',
      )
      .select('event.actorId', 'actorId')
      .addSelect('COUNT(*)', 'views')
      .addSelect('COUNT(DISTINCT event.targetId)', 'tickets')
      .where('event.merchantId = :merchantId', { merchantId })
      .andWhere('event.action IN (:...actions)', { actions: TICKET_VIEW_ACTIONS })
      .andWhere('event.targetType = :type', { type: 'ticket' })
      .andWhere('event.actorType = :user', { user: 'user' })
      .andWhere('event.actorId IS NOT NULL')
      .andWhere('viewed.incidentId = :incidentId', { incidentId })
      .groupBy('event.actorId')
      .getRawMany<{ actorId: number | string; views: number | string; tickets: number | string }>();
    const callIds = (
      await byChunks(ticketIds, (ids) =>
        manager
          .getRepository('Call')
          .createQueryBuilder('call')
          .select('call.id', 'id')
          .where('call.ticketId IN (:...ids)', { ids })
          .getRawMany<{ id: number | string }>(),
      )
    ).map((row) => String(row.id));
    const callViews = await byChunks(callIds, (ids) =>
      manager
        .getRepository(AuditEvent)
        .createQueryBuilder('event')
        .select('event.actorId', 'actorId')
        .addSelect('COUNT(*)', 'views')
        .where('event.merchantId = :merchantId', { merchantId })
        .andWhere('event.action = :action', { action: AUDIT_ACTIONS.callViewed })
        .andWhere('event.targetType = :type', { type: 'call' })
        .andWhere('event.actorType = :user', { user: 'user' })
        .andWhere('event.actorId IS NOT NULL')
        .andWhere('event.targetId IN (:...ids)', { ids })
        .groupBy('event.actorId')
        .getRawMany<{ actorId: number | string; views: number | string }>(),
    );
    const exports = await manager
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .select('event.actorId', 'actorId')
      .addSelect('COUNT(*)', 'exports')
      .where('event.merchantId = :merchantId', { merchantId })
      .andWhere('event.action = :action', { action: AUDIT_ACTIONS.exportCases })
      .andWhere('event.actorType = :user', { user: 'user' })
      .andWhere('event.actorId IS NOT NULL')
      .andWhere('event.createdAt >= :from', { from: tokyoDayStart(period.from) })
      .andWhere('event.createdAt < :to', { to: tokyoDayEnd(period.to) })
      .groupBy('event.actorId')
      .getRawMany<{ actorId: number | string; exports: number | string }>();
    const byUser = new Map<number, { views: number; ticketsViewed: number; exports: number }>();
    const entry = (id: number | string) => {
      const key = Number(id);
      let found = byUser.get(key);
      if (!found) {
        found = { views: 0, ticketsViewed: 0, exports: 0 };
        byUser.set(key, found);
      }
      return found;
    };
    for (const row of ticketViews) {
      entry(row.actorId).views += Number(row.views);
      entry(row.actorId).ticketsViewed += Number(row.tickets);
    }
    for (const row of callViews) entry(row.actorId).views += Number(row.views);
    for (const row of exports) entry(row.actorId).exports += Number(row.exports);
    return accessOf(byUser, await this.userLabels(manager, [...byUser.keys()]));
  }

  private async userLabels(
    manager: EntityManager,
    ids: readonly number[],
  ): Promise<Map<number, Pick<User, 'displayName' | 'role'>>> {
    const users = await byChunks(ids, (chunk) =>
      manager.find(User, {
        select: { id: true, displayName: true, role: true },
        where: { id: In(chunk) },
      }),
    );
    return new Map(users.map((user) => [user.id, user]));
  }
}

/** One reply that used an approved version. */
export interface AnswerReply {
  messageId: number;
  ticketId: number;
  version: number;
  templateId: number;
  purpose: AnswerPurpose;
  path: Exclude<AnswerSendPath, 'status_page'>;
  /** Verbatim or edited (issue 13.2); null for replies sent before it was recorded. */
  provenance: AnswerProvenance | null;
  /** Sent as a correction of an earlier reply. */
  correction: boolean;
}

/** Runs `read` over the ids in chunks and concatenates the results (nothing for no ids). */
async function byChunks<I, T>(ids: readonly I[], read: (chunk: I[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

/**
 * The period: from the earliest of the incident's recording date, any notice date of the
 * merchants covered and the first ticket's date, to the generation date (Tokyo dates).
 */
export function periodOf(
  incident: Pick<Incident, 'createdAt'>,
  lines: readonly Pick<Line, 'noticeDate'>[],
  tickets: readonly Pick<TicketRow, 'createdAt'>[],
  now: Date,
): { from: string; to: string } {
  const to = tokyoDateOf(now);
  const candidates = [
    tokyoDateOf(incident.createdAt),
    ...lines.flatMap((line) => (line.noticeDate ? [line.noticeDate] : [])),
    ...tickets.map((ticket) => tokyoDateOf(ticket.createdAt)),
  ];
  const from = candidates.reduce((min, date) => (date < min ? date : min), to);
  return { from, to };
}

/**
 * Each code once: verified (spent), failed (killed by wrong entries), pending (the ticket's
 * newest code, still live), expired (every other unused code: timed out or replaced).
 */
export function verificationsOf(
  codes: readonly Pick<
    LeakCheckCode,
    'id' | 'ticketId' | 'attempts' | 'expiresAt' | 'usedAt' | 'result'
  >[],
  now: Date,
): IncidentReportVerifications {
  const newest = new Map<number, number>();
  for (const code of codes)
    newest.set(code.ticketId, Math.max(newest.get(code.ticketId) ?? 0, code.id));
  const out: IncidentReportVerifications = {
    codesSent: codes.length,
    verified: 0,
    failed: 0,
    expired: 0,
    pending: 0,
    wrongEntries: 0,
    ticketsVerified: 0,
    outcomes: { included: 0, not_included: 0, undetermined: 0 },
  };
  const verifiedTickets = new Set<number>();
  for (const code of codes) {
    out.wrongEntries += code.attempts;
    if (code.usedAt !== null) {
      out.verified += 1;
      verifiedTickets.add(code.ticketId);
      const result = code.result ?? 'undetermined';
      out.outcomes[result] += 1;
    } else if (code.attempts >= LEAK_CHECK_MAX_ATTEMPTS) {
      out.failed += 1;
    } else if (newest.get(code.ticketId) === code.id && code.expiresAt.getTime() > now.getTime()) {
      out.pending += 1;
    } else {
      out.expired += 1;
    }
  }
  out.ticketsVerified = verifiedTickets.size;
  return out;
}

/**
 * Approved answers sent, by purpose and path: replies by an agent or a bulk send that used a
 * version of a template of that purpose; on the status page, the verified checks whose result
 * was included / not included (the approved text of that result is what the page shows).
 */
export function answersSentOf(
  replies: readonly AnswerReply[],
  verifications: IncidentReportVerifications,
): IncidentReportAnswerRow[] {
  return SENT_PURPOSES.map((purpose) => {
    const byPath = Object.fromEntries(ANSWER_SEND_PATHS.map((path) => [path, 0])) as Record<
      AnswerSendPath,
      number
    >;
    let verbatim = 0;
    let edited = 0;
    for (const reply of replies) {
      if (reply.purpose !== purpose) continue;
      byPath[reply.path] += 1;
      if (reply.provenance === 'verbatim') verbatim += 1;
      if (reply.provenance === 'edited') edited += 1;
    }
    if (purpose === 'leak_included') byPath.status_page = verifications.outcomes.included;
    if (purpose === 'leak_not_included') byPath.status_page = verifications.outcomes.not_included;
    return {
      purpose,
      byPath,
      total: ANSWER_SEND_PATHS.reduce((sum, path) => sum + byPath[path], 0),
      verbatim,
      edited,
    };
  });
}

/** Tickets whose newest reply from the template used a version below the one in use. */
export function outdatedReceivers(
  replies: readonly AnswerReply[],
  templateId: number,
  versionInUse: number,
): number {
  const newest = new Map<number, AnswerReply>();
  for (const reply of replies) {
    if (reply.templateId !== templateId) continue;
    const known = newest.get(reply.ticketId);
    if (!known || reply.messageId > known.messageId) newest.set(reply.ticketId, reply);
  }
  return [...newest.values()].filter((reply) => reply.version < versionInUse).length;
}

function accessOf(
  byUser: ReadonlyMap<number, { views: number; ticketsViewed: number; exports: number }>,
  labels: ReadonlyMap<number, Pick<User, 'displayName' | 'role'>>,
): IncidentReportAccess {
  const users: IncidentReportAccessRow[] = [...byUser.entries()].map(([userId, counts]) => ({
    userId,
    name: labels.get(userId)?.displayName ?? `#${userId}`,
    role: labels.get(userId)?.role ?? null,
    ...counts,
  }));
  users.sort((a, b) => b.views + b.exports - (a.views + a.exports) || a.userId - b.userId);
  return {
    users,
    views: users.reduce((sum, u) => sum + u.views, 0),
    exports: users.reduce((sum, u) => sum + u.exports, 0),
  };
}

/** The operator's total over every merchant section: sums; SLA shares and medians over all tickets. */
function totalOf(
  sections: readonly IncidentReportSection[],
  tickets: readonly TicketRow[],
  period: { from: string; to: string },
  options: IncidentReportOptions,
  now: Date,
): IncidentReportFigures {
  const stats = summariseTickets(tickets, period, now);
  const n = (pick: (s: IncidentReportSection) => number): number =>
    sections.reduce((sum, section) => sum + pick(section), 0);
  const byOutcome: Record<string, number> = {};
  for (const section of sections) {
    for (const [key, value] of Object.entries(section.calls.byOutcome)) {
      byOutcome[key] = (byOutcome[key] ?? 0) + value;
    }
  }
  const v = (pick: (f: IncidentReportVerifications) => number) => n((s) => pick(s.verifications));
  const bucket = (
    pick: (s: IncidentReportSection) => IncidentReportDeterminations['included'],
  ) => ({
    verifiedEmail: n((s) => pick(s).verifiedEmail),
    agent: n((s) => pick(s).agent),
    total: n((s) => pick(s).total),
  });
  const answersSent = SENT_PURPOSES.map((purpose): IncidentReportAnswerRow => {
    const rows = sections.flatMap((s) => s.answersSent.filter((r) => r.purpose === purpose));
    const byPath = Object.fromEntries(
      ANSWER_SEND_PATHS.map((path) => [path, rows.reduce((sum, r) => sum + r.byPath[path], 0)]),
    ) as Record<AnswerSendPath, number>;
    return {
      purpose,
      byPath,
      total: rows.reduce((sum, r) => sum + r.total, 0),
      verbatim: rows.reduce((sum, r) => sum + r.verbatim, 0),
      edited: rows.reduce((sum, r) => sum + r.edited, 0),
    };
  });
  return {
    inquiries: {
      total: stats.total,
      byCategory: stats.byCategory,
      byChannel: stats.byChannel,
      days: stats.days,
      open: stats.open,
      resolved: stats.resolved,
      handedBack: stats.handedBack,
    },
    calls: {
      total: n((s) => s.calls.total),
      byOutcome,
      linkedToIncident: n((s) => s.calls.linkedToIncident),
    },
    affectedList: {
      values: {
        email: n((s) => s.affectedList.values.email),
        phone: n((s) => s.affectedList.values.phone),
        order: n((s) => s.affectedList.values.order),
        total: n((s) => s.affectedList.values.total),
      },
      uploads: n((s) => s.affectedList.uploads),
      lastUploadAt: sections
        .map((s) => s.affectedList.lastUploadAt)
        .reduce<Date | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null),
      rows: n((s) => s.affectedList.rows),
      rowsRejected: n((s) => s.affectedList.rowsRejected),
    },
    verifications: {
      codesSent: v((f) => f.codesSent),
      verified: v((f) => f.verified),
      failed: v((f) => f.failed),
      expired: v((f) => f.expired),
      pending: v((f) => f.pending),
      wrongEntries: v((f) => f.wrongEntries),
      ticketsVerified: v((f) => f.ticketsVerified),
      outcomes: {
        included: v((f) => f.outcomes.included),
        not_included: v((f) => f.outcomes.not_included),
        undetermined: v((f) => f.outcomes.undetermined),
      },
    },
    determinations: {
      included: bucket((s) => s.determinations.included),
      notIncluded: bucket((s) => s.determinations.notIncluded),
      reviewFlagged: n((s) => s.determinations.reviewFlagged),
      superseded: n((s) => s.determinations.superseded),
    },
    answersSent,
    corrections: {
      // Templates are per merchant decisions: the total keeps the sums only.
      templates: [],
      supersededVersions: n((s) => s.corrections.supersededVersions),
      outdatedReceivers: n((s) => s.corrections.outdatedReceivers),
      correctionRuns: n((s) => s.corrections.correctionRuns),
      correctionsSent: n((s) => s.corrections.correctionsSent),
      correctionsSkipped: n((s) => s.corrections.correctionsSkipped),
      correctionsPending: n((s) => s.corrections.correctionsPending),
      correctionReplies: n((s) => s.corrections.correctionReplies),
    },
    handBacks: {
      handedBack: n((s) => s.handBacks.handedBack),
      stillHandedBack: n((s) => s.handBacks.stillHandedBack),
      answered: n((s) => s.handBacks.answered),
      reminded: n((s) => s.handBacks.reminded),
    },
    merchantQuestions: {
      asked: n((s) => s.merchantQuestions.asked),
      answered: n((s) => s.merchantQuestions.answered),
    },
    faq: {
      views: n((s) => s.faq.views),
      inquiriesAfter: n((s) => s.faq.inquiriesAfter),
    },
    sla: { firstResponse: stats.firstResponse, resolution: stats.resolution },
    access: options.includeAccess ? mergeAccess(sections) : null,
  };
}

/** One row per user over all sections (a user who worked several merchants is summed). */
function mergeAccess(sections: readonly IncidentReportSection[]): IncidentReportAccess {
  const byUser = new Map<number, { views: number; ticketsViewed: number; exports: number }>();
  const labels = new Map<number, Pick<User, 'displayName' | 'role'>>();
  for (const section of sections) {
    for (const row of section.access?.users ?? []) {
      const known = byUser.get(row.userId) ?? { views: 0, ticketsViewed: 0, exports: 0 };
      byUser.set(row.userId, {
        views: known.views + row.views,
        ticketsViewed: known.ticketsViewed + row.ticketsViewed,
        exports: known.exports + row.exports,
      });
      if (row.role !== null) labels.set(row.userId, { displayName: row.name, role: row.role });
    }
  }
  return accessOf(byUser, labels);
}
