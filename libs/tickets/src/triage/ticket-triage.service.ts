import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, runTransaction } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { Attachment } from '../attachment/attachment.entity';
import { Message } from '../message/message.entity';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import type { TicketListItem } from '../ticket/ticket-view.type';
import { firstLineOf } from './first-line.util';

/** What a list row adds for triage (issue 15). */
export interface TicketTriage {
  /** Decrypted, for staff only (null for merchant users, or when none was given / erased). */
  requesterName: string | null;
  /** The first line of the latest customer message, truncated; staff only. */
  latestCustomerLine: string | null;
  /** The latest message (customer or reply) is the customer's, after an agent's reply. */
  customerReplied: boolean;
  /** Some message of the ticket carries a file. */
  hasAttachments: boolean;
}

export type TriagedListItem = TicketListItem & { triage: TicketTriage };

/** Which list was shown, for the audit event. */
export interface TriageListContext {
  list: 'queue' | 'search';
  queueId?: number;
}

const NO_TRIAGE: TicketTriage = {
  requesterName: null,
  latestCustomerLine: null,
  customerReplied: false,
  hasAttachments: false,
};

/**
 * The triage columns of the console's lists (queue and search): the requester's name and the
 * first line of the latest customer message, decrypted for staff in scope, the "customer
 * replied" flag and the attachment marker. A handful of queries on the page's rows only (never
 * on the whole queue). Showing personal data in a list is an audited view: one
 * `ticket.list_viewed` event per page view, naming the page's tickets, not one per row.
 */
@Injectable()
export class TicketTriageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async triage(
    scope: TenantScope,
    items: readonly TicketListItem[],
    actor: TicketActor,
    context: TriageListContext,
  ): Promise<TriagedListItem[]> {
    if (items.length === 0) return [];
    const manager = this.dataSource.manager;
    const references = items.map((item) => item.reference);
    const staff = scope.kind === 'staff';
    const tickets = await scopedTicketQuery(manager, scope)
      .select(['ticket.id', 'ticket.reference', 'ticket.merchantId'])
      .addSelect(staff ? ['ticket.requesterName'] : [])
      .andWhere('ticket.reference IN (:...references)', { references })
      .getMany();
    if (tickets.length === 0) return items.map((item) => ({ ...item, triage: NO_TRIAGE }));
    const ids = tickets.map((ticket) => ticket.id);
    const latest = await manager
      .getRepository(Message)
      .createQueryBuilder('message')
      .select('message.ticketId', 'ticketId')
      .addSelect("MAX(CASE WHEN message.kind = 'customer' THEN message.id END)", 'customerId')
      .addSelect("MAX(CASE WHEN message.kind = 'reply' THEN message.id END)", 'replyId')
      .where('message.ticketId IN (:...ids)', { ids })
      .groupBy('message.ticketId')
      .getRawMany<{ ticketId: number | string; customerId: unknown; replyId: unknown }>();
    const lastByTicket = new Map(
      latest.map((row) => [
        Number(row.ticketId),
        { customerId: numberOrNull(row.customerId), replyId: numberOrNull(row.replyId) },
      ]),
    );
    const customerIds = [...lastByTicket.values()]
      .map((row) => row.customerId)
      .filter((id): id is number => id !== null);
    const bodies =
      staff && customerIds.length > 0
        ? await manager.getRepository(Message).find({
            select: { id: true, ticketId: true, body: true },
            where: customerIds.map((id) => ({ id })),
          })
        : [];
    const bodyById = new Map(bodies.map((message) => [message.id, message.body]));
    const withFiles = new Set(
      (
        await manager
          .getRepository(Attachment)
          .createQueryBuilder('attachment')
          .select('DISTINCT attachment.ticketId', 'ticketId')
          .where('attachment.ticketId IN (:...ids)', { ids })
          .getRawMany<{ ticketId: number | string }>()
      ).map((row) => Number(row.ticketId)),
    );
    const byReference = new Map(
      tickets.map((ticket) => {
        const last = lastByTicket.get(ticket.id);
        const body = last?.customerId == null ? null : (bodyById.get(last.customerId) ?? null);
        const triage: TicketTriage = {
          requesterName: staff ? this.cipher.decryptNullable(ticket.requesterName) : null,
          latestCustomerLine: staff ? firstLineOf(this.cipher.decryptNullable(body)) : null,
          customerReplied:
            last !== undefined &&
            last.customerId !== null &&
            last.replyId !== null &&
            last.customerId > last.replyId,
          hasAttachments: withFiles.has(ticket.id),
        };
        return [ticket.reference, triage] as const;
      }),
    );
    if (staff) await this.recordListView(tickets, actor, context);
    return items.map((item) => ({ ...item, triage: byReference.get(item.reference) ?? NO_TRIAGE }));
  }

  private async recordListView(
    tickets: ReadonlyArray<{ reference: string; merchantId: number }>,
    actor: TicketActor,
    context: TriageListContext,
  ): Promise<void> {
    const merchants = [...new Set(tickets.map((ticket) => ticket.merchantId))];
    await runTransaction(this.dataSource, (manager) =>
      this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.ticketListViewed,
          // One merchant's page shows in its access log; a search across merchants is the operator's.
          merchantId: merchants.length === 1 ? merchants[0] : null,
          ...(context.queueId === undefined
            ? {}
            : { target: { type: 'queue', id: context.queueId } }),
          ip: actor.ip,
          detail: {
            list: context.list,
            references: tickets.map((ticket) => ticket.reference),
            ...(merchants.length > 1 ? { merchantIds: merchants } : {}),
          },
        },
        this.clock.now(),
      ),
    );
  }
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
