import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { renderCannedResponse, NotFoundException } from '@madoguchi/common';
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
import { Message } from '../message/message.entity';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import type { TicketScope } from '../scope/ticket-scope';
import type { TicketStatus } from '../ticket/ticket.constant';
import type { Page, PageRequest, TicketDetail } from '../ticket/ticket-view.type';

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
  ) {}

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
  async filterOptions(scope: TicketScope): Promise<IncidentOption[]> {
    if (scope.kind === 'merchant') {
      const incidents = await this.incidents.listForMerchant(scope.merchantId);
      return incidents.map((incident) => ({ id: incident.id, title: incident.title }));
    }
    return this.incidents.options();
  }

  /**
   * The template the outdated list is about, as the scope may see it: a merchant only the
   * templates of incidents that affect it (else NotFound, like another merchant's data).
   */
  async templateFor(
    scope: TicketScope,
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
    scope: TicketScope,
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
