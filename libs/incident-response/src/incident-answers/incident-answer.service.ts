import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import {
  type MerchantScope,
  type CompactDiff,
  type DiffOp,
  expandDiff,
  renderCannedResponse,
  NotFoundException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  type ApprovedAnswer,
  ApprovedAnswerService,
  IncidentService,
  type IncidentOption,
  isMerchantAffected,
} from '@madoguchi/incidents';
import {
  Message,
  scopedTicketQuery,
  TicketViewAuditService,
  type TicketStatus,
  type Page,
  type PageRequest,
  type TicketDetail,
} from '@madoguchi/tickets';
import type { TicketActor, TenantScope } from '@madoguchi/tenancy';

export const OUTDATED_MAX_PAGE_SIZE = 100;

/** An approved answer with its placeholders filled for one ticket. */
export interface FilledAnswer extends ApprovedAnswer {
  filledBody: string;
}

/** A ticket whose end user got an older version of a template than the one approved now. */
export interface OutdatedReceiver {
  ticketId: number;
  reference: string;
  merchantId: number;
  merchantName: string;
  status: TicketStatus;
  /** The reply that used the template last: its message id, time and version. */
  messageId: number;
  repliedAt: Date;
  usedVersionId: number;
  usedVersion: number;
  /** The newest version approved for the ticket's merchant. */
  approvedVersion: number;
}

interface OutdatedRow {
  ticketId: number | string;
  reference: string;
  merchantId: number | string;
  merchantName: string;
  status: TicketStatus;
  messageId: number | string;
  usedVersionId: number | string;
  usedVersion: number | string;
  approvedVersion: number | string;
}

const TEMPLATE_NOT_FOUND = '回答テンプレートが見つかりません。';
const REPLY_NOT_FOUND = '編集された承認済み回答の返信が見つかりません。';

/** At most this many replies are listed per version (the counts are always complete). */
export const PROVENANCE_LIST_LIMIT = 100;

/** One reply that used an approved version, as the merchant's portal lists it (no personal data). */
export interface ProvenanceReply {
  messageId: number;
  reference: string;
  provenance: 'verbatim' | 'edited' | null;
  repliedAt: Date;
}

/** Issue 13.2: how the replies that used one approved version went out, for one merchant. */
export interface VersionProvenance {
  versionId: number;
  verbatim: number;
  edited: number;
  /** Replies from before provenance was recorded (neither verbatim nor edited is known). */
  unrecorded: number;
  /** Newest first, at most {@link PROVENANCE_LIST_LIMIT}. */
  replies: ProvenanceReply[];
}

/** An edited approved reply: the diff from the approved text (filled in) to the text sent. */
export interface AnswerDiffView {
  messageId: number;
  reference: string;
  incidentId: number;
  templateTitle: string;
  versionId: number;
  version: number;
  repliedAt: Date;
  /** Null once retention erased the message. */
  ops: DiffOp[] | null;
}

interface ProvenanceRow {
  messageId: number | string;
  reference: string;
  versionId: number | string;
  provenance: 'verbatim' | 'edited' | null;
}

/**
 * The ticket side of incident answers: what an agent may insert into a ticket (the newest
 * version of each template approved for the ticket's merchant, filled in), the incidents a
 * scope may filter by, and the tickets whose end users received an older version of a
 * template than the one approved now (for corrections). Every ticket read is scoped.
 */
@Injectable()
export class IncidentAnswerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly approved: ApprovedAnswerService,
    private readonly incidents: IncidentService,
    private readonly cipher: FieldCipher,
    private readonly views: TicketViewAuditService,
  ) {}

  /**
   * Issue 13.2: per approved version of the incident's templates, the merchant's replies that
   * used it, verbatim or edited (counts, and the newest references). Only the merchant's own
   * tickets (scoped query); the incident must affect it, else NotFound. No personal data read.
   */
  async provenanceForMerchant(
    scope: MerchantScope,
    incidentId: number,
  ): Promise<Map<number, VersionProvenance>> {
    const manager = this.dataSource.manager;
    if (!(await isMerchantAffected(manager, scope.merchantId, incidentId))) {
      throw new NotFoundException('インシデントが見つかりません。');
    }
    const base = () =>
      scopedTicketQuery(manager, scope)
        .innerJoin(Message, 'message', "message.ticketId = ticket.id AND message.kind = 'reply'")
        .innerJoin(AnswerTemplateVersion, 'version', 'version.id = message.answerVersionId')
        .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
        .andWhere('template.incidentId = :incidentId', { incidentId });
    const counts = await base()
      .select('version.id', 'versionId')
      .addSelect('message.answerProvenance', 'provenance')
      .addSelect('COUNT(*)', 'count')
      .groupBy('version.id')
      .addGroupBy('message.answerProvenance')
      .getRawMany<{
        versionId: number | string;
        provenance: string | null;
        count: number | string;
      }>();
    const result = new Map<number, VersionProvenance>();
    const entry = (versionId: number): VersionProvenance => {
      let found = result.get(versionId);
      if (!found) {
        found = { versionId, verbatim: 0, edited: 0, unrecorded: 0, replies: [] };
        result.set(versionId, found);
      }
      return found;
    };
    for (const row of counts) {
      const target = entry(Number(row.versionId));
      const count = Number(row.count);
      if (row.provenance === 'verbatim') target.verbatim += count;
      else if (row.provenance === 'edited') target.edited += count;
      else target.unrecorded += count;
    }
    for (const versionId of result.keys()) {
      const rows = await base()
        .andWhere('version.id = :versionId', { versionId })
        .select('message.id', 'messageId')
        .addSelect('ticket.reference', 'reference')
        .addSelect('version.id', 'versionId')
        .addSelect('message.answerProvenance', 'provenance')
        .orderBy('message.id', 'DESC')
        .limit(PROVENANCE_LIST_LIMIT)
        .getRawMany<ProvenanceRow>();
      // Times through the entity, so both drivers give a Date in UTC.
      const times = new Map(
        (
          await manager.find(Message, {
            select: { id: true, createdAt: true },
            where: { id: In(rows.map((row) => Number(row.messageId))) },
          })
        ).map((message) => [message.id, message.createdAt]),
      );
      entry(versionId).replies = rows.map((row) => ({
        messageId: Number(row.messageId),
        reference: row.reference,
        provenance: row.provenance,
        repliedAt: times.get(Number(row.messageId)) as Date,
      }));
    }
    return result;
  }

  /**
   * Issue 13.2: the diff of one edited approved reply, for the merchant (or staff) whose
   * ticket it is: another merchant's message, a reply that is not an edited approved answer,
   * a note or an unknown id are all NotFound. It shows message text, so it is an audited view
   * of the ticket (`ticket.viewed` with the message id), recorded before the text is returned.
   */
  async answerDiff(
    scope: TenantScope,
    messageId: number,
    actor: TicketActor,
  ): Promise<AnswerDiffView> {
    const manager = this.dataSource.manager;
    const row = Number.isInteger(messageId)
      ? await scopedTicketQuery(manager, scope)
          .innerJoin(
            Message,
            'message',
            "message.ticketId = ticket.id AND message.kind = 'reply' AND message.answerProvenance = 'edited'",
          )
          .innerJoin(AnswerTemplateVersion, 'version', 'version.id = message.answerVersionId')
          .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
          .andWhere('message.id = :messageId', { messageId })
          .select('ticket.reference', 'reference')
          .addSelect('ticket.merchantId', 'merchantId')
          .addSelect('template.incidentId', 'incidentId')
          .addSelect('template.title', 'templateTitle')
          .addSelect('version.id', 'versionId')
          .addSelect('version.version', 'version')
          .getRawOne<{
            reference: string;
            merchantId: number | string;
            incidentId: number | string;
            templateTitle: string;
            versionId: number | string;
            version: number | string;
          }>()
      : undefined;
    if (!row) throw new NotFoundException(REPLY_NOT_FOUND);
    const message = await manager.findOneByOrFail(Message, { id: messageId });
    await this.views.recordView(
      { merchantId: Number(row.merchantId), reference: row.reference },
      actor,
      { view: 'answer_diff', messageId },
    );
    const ops =
      message.body === null || message.answerDiff === null
        ? null
        : expandDiff(
            JSON.parse(this.cipher.decrypt(message.answerDiff)) as CompactDiff,
            this.cipher.decrypt(message.body),
          );
    return {
      messageId,
      reference: row.reference,
      incidentId: Number(row.incidentId),
      templateTitle: row.templateTitle,
      versionId: Number(row.versionId),
      version: Number(row.version),
      repliedAt: message.createdAt,
      ops,
    };
  }

  /**
   * The approved answers for a ticket already read in its scope (the caller's audited detail
   * view), filled with the canned responses' placeholder values. Empty without an incident.
   */
  async forTicket(ticket: TicketDetail, agentName: string | null): Promise<FilledAnswer[]> {
    if (ticket.incident === null) return [];
    const answers = await this.approved.listApproved(ticket.merchantId, ticket.incident.id);
    return answers.map((answer) => ({
      ...answer,
      filledBody: renderCannedResponse(answer.body, {
        name: ticket.requester.name,
        reference: ticket.reference,
        merchant: ticket.merchantName,
        site: ticket.siteName ?? ticket.merchantName,
        agent: agentName,
      }),
    }));
  }

  /** The incidents a scope may filter by: staff every one, a merchant those that affect it. */
  async filterOptions(scope: TenantScope): Promise<IncidentOption[]> {
    if (scope.kind === 'merchant') {
      const incidents = await this.incidents.listForMerchant(scope);
      return incidents.map((incident) => ({ id: incident.id, title: incident.title }));
    }
    return this.incidents.options();
  }

  /**
   * The template the outdated list is about, as the scope may see it: a merchant only the
   * templates of incidents that affect it (else NotFound, like another merchant's data).
   */
  async templateFor(
    scope: TenantScope,
    templateId: number,
  ): Promise<{ id: number; incidentId: number; title: string }> {
    const manager = this.dataSource.manager;
    const template = Number.isInteger(templateId)
      ? await manager.findOneBy(AnswerTemplate, { id: templateId })
      : null;
    if (
      !template ||
      (scope.kind === 'merchant' &&
        !(await isMerchantAffected(manager, scope.merchantId, template.incidentId)))
    ) {
      throw new NotFoundException(TEMPLATE_NOT_FOUND);
    }
    return { id: template.id, incidentId: template.incidentId, title: template.title };
  }

  /**
   * The tickets of the scope whose newest reply that used this template used a version older
   * than the newest one approved for the ticket's merchant, by ticket id, paged. No personal
   * data is read. A merchant may only ask about templates of incidents that affect it.
   */
  async listOutdatedReceivers(
    scope: TenantScope,
    templateId: number,
    page: PageRequest = { page: 1, pageSize: 50 },
  ): Promise<Page<OutdatedReceiver>> {
    const template = await this.templateFor(scope, templateId);
    const pageSize = Math.min(Math.max(Math.trunc(page.pageSize) || 1, 1), OUTDATED_MAX_PAGE_SIZE);
    const pageNumber = Math.max(Math.trunc(page.page) || 1, 1);
    const query = scopedTicketQuery(this.dataSource.manager, scope);
    const lastUse = query
      .subQuery()
      .select('MAX(lastMessage.id)')
      .from(Message, 'lastMessage')
      .innerJoin(
        AnswerTemplateVersion,
        'lastVersion',
        'lastVersion.id = lastMessage.answerVersionId',
      )
      .where('lastMessage.ticketId = ticket.id')
      .andWhere("lastMessage.kind = 'reply'")
      .andWhere('lastVersion.templateId = :templateId')
      .getQuery();
    const newestApproved = query
      .subQuery()
      .select('MAX(approvedVersion.version)')
      .from(AnswerTemplateVersion, 'approvedVersion')
      .innerJoin(
        AnswerApproval,
        'approval',
        "approval.versionId = approvedVersion.id AND approval.merchantId = ticket.merchantId AND approval.decision = 'approved'",
      )
      .where('approvedVersion.templateId = :templateId')
      .getQuery();
    query
      .innerJoin(Message, 'used', `used.ticketId = ticket.id AND used.id = ${lastUse}`)
      .innerJoin(AnswerTemplateVersion, 'usedVersion', 'usedVersion.id = used.answerVersionId')
      .innerJoin('ticket.merchant', 'merchant')
      .andWhere(`usedVersion.version < ${newestApproved}`)
      .setParameter('templateId', template.id);
    const total = await query.clone().getCount();
    const rows = await query
      .select('ticket.id', 'ticketId')
      .addSelect('ticket.reference', 'reference')
      .addSelect('ticket.merchantId', 'merchantId')
      .addSelect('merchant.name', 'merchantName')
      .addSelect('ticket.status', 'status')
      .addSelect('used.id', 'messageId')
      .addSelect('usedVersion.id', 'usedVersionId')
      .addSelect('usedVersion.version', 'usedVersion')
      .addSelect(newestApproved, 'approvedVersion')
      .orderBy('ticket.id', 'ASC')
      .offset((pageNumber - 1) * pageSize)
      .limit(pageSize)
      .getRawMany<OutdatedRow>();
    // Times through the entity, so both drivers give a Date in UTC.
    const messages =
      rows.length === 0
        ? []
        : await this.dataSource.manager.find(Message, {
            select: { id: true, createdAt: true },
            where: { id: In(rows.map((row) => Number(row.messageId))) },
          });
    const repliedAt = new Map(messages.map((message) => [message.id, message.createdAt]));
    return {
      items: rows.map((row) => ({
        ticketId: Number(row.ticketId),
        reference: row.reference,
        merchantId: Number(row.merchantId),
        merchantName: row.merchantName,
        status: row.status,
        messageId: Number(row.messageId),
        repliedAt: repliedAt.get(Number(row.messageId)) as Date,
        usedVersionId: Number(row.usedVersionId),
        usedVersion: Number(row.usedVersion),
        approvedVersion: Number(row.approvedVersion),
      })),
      total,
      page: pageNumber,
      pageSize,
    };
  }
}
