import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { BusinessCalendar } from '@madoguchi/calendar';
import type { TenantScope } from '@madoguchi/tenancy';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import { slaStateOf } from '../sla/sla-state.util';
import type { Ticket } from './ticket.entity';
import type { TicketListItem } from './ticket-view.type';

/**
 * A scoped ticket query selecting only what a list row shows: no requester column is read, so
 * listing and searching need no view audit.
 */
export function listItemQuery(
  manager: EntityManager,
  scope: TenantScope,
): SelectQueryBuilder<Ticket> {
  return selectListItemColumns(scopedTicketQuery(manager, scope));
}

/**
 * Turns a scoped ticket query into a list query (its columns and the merchant, site and
 * assignee names). Count before calling this: with the joins, MySQL/MariaDB read every
 * matching row instead of the index alone (docs/benchmarks.md).
 */
export function selectListItemColumns(
  query: SelectQueryBuilder<Ticket>,
): SelectQueryBuilder<Ticket> {
  return query
    .select([
      'ticket.id',
      'ticket.reference',
      'ticket.merchantId',
      'ticket.siteId',
      'ticket.queueId',
      'ticket.channel',
      'ticket.category',
      'ticket.status',
      'ticket.priority',
      'ticket.assigneeId',
      'ticket.createdAt',
      'ticket.updatedAt',
      'ticket.slaDueAt',
      'ticket.version',
      'ticket.probableDuplicateOfId',
    ])
    .leftJoin('ticket.merchant', 'merchant')
    .addSelect(['merchant.id', 'merchant.name'])
    .leftJoin('ticket.site', 'site')
    .addSelect(['site.id', 'site.displayName'])
    .leftJoin('ticket.assignee', 'assignee')
    .addSelect(['assignee.id', 'assignee.displayName']);
}

export function toListItem(ticket: Ticket, now: Date, calendar: BusinessCalendar): TicketListItem {
  return {
    reference: ticket.reference,
    merchantId: ticket.merchantId,
    merchantName: ticket.merchant?.name ?? '',
    siteName: ticket.site?.displayName ?? null,
    queueId: ticket.queueId,
    channel: ticket.channel,
    category: ticket.category,
    status: ticket.status,
    priority: ticket.priority,
    assignee: ticket.assignee
      ? { id: ticket.assignee.id, displayName: ticket.assignee.displayName }
      : null,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    slaDueAt: ticket.slaDueAt,
    slaState: slaStateOf(ticket, now, calendar),
    version: ticket.version,
    probableDuplicate: ticket.probableDuplicateOfId !== null,
  };
}
