import { ValidationFailedException } from '@madoguchi/common';
import {
  ACTIVE_TICKET_STATUSES,
  isTicketCategory,
  isTicketChannel,
  isTicketStatus,
  type TicketStatus,
} from '../ticket/ticket.constant';
import {
  type DeterminationFilter,
  isDeterminationFilter,
  type TicketListFilter,
} from '../ticket/ticket-view.type';

/** A list filter as SQL conditions on the alias `ticket` (property paths), with their parameters. */
export interface TicketFilterSql {
  /** The statuses the filter lists (the active ones by default). */
  statuses: TicketStatus[];
  /** Conditions to AND together; each is safe inside `CASE WHEN (…)` as well as a WHERE. */
  conditions: string[];
  parameters: Record<string, unknown>;
}

export interface TicketFilterContext {
  /** Whose tickets `assignee: 'me'` means. */
  viewerUserId: number;
  /** For `sla: 'breached'`. */
  now: Date;
  /** Parameter names start with this, so several filters can share one query (saved-view counts). */
  prefix?: string;
}

/**
 * THE meaning of a ticket list filter (queue lists, saved views, bulk selections): one place,
 * so a count on the overview and the list it links to always agree. Values outside the fixed
 * lists are refused (ValidationFailed), never dropped.
 */
export function ticketFilterSql(
  filter: TicketListFilter,
  context: TicketFilterContext,
): TicketFilterSql {
  const p = context.prefix ?? '';
  const statuses = validStatuses(filter);
  const conditions: string[] = [`ticket.status IN (:...${p}statuses)`];
  const parameters: Record<string, unknown> = { [`${p}statuses`]: statuses };
  if (filter.category !== undefined) {
    if (!isTicketCategory(filter.category)) throw invalidFilter('category');
    conditions.push(`ticket.category = :${p}category`);
    parameters[`${p}category`] = filter.category;
  }
  if (filter.channel !== undefined) {
    if (!isTicketChannel(filter.channel)) throw invalidFilter('channel');
    conditions.push(`ticket.channel = :${p}channel`);
    parameters[`${p}channel`] = filter.channel;
  }
  if (filter.assignee === 'unassigned') conditions.push('ticket.assigneeId IS NULL');
  else if (filter.assignee === 'me' || typeof filter.assignee === 'number') {
    const assigneeId = filter.assignee === 'me' ? context.viewerUserId : filter.assignee;
    if (!Number.isInteger(assigneeId)) throw invalidFilter('assignee');
    conditions.push(`ticket.assigneeId = :${p}assigneeId`);
    parameters[`${p}assigneeId`] = assigneeId;
  }
  if (filter.incident !== undefined) {
    if (!Number.isInteger(filter.incident)) throw invalidFilter('incident');
    conditions.push(`ticket.incidentId = :${p}incidentId`);
    parameters[`${p}incidentId`] = filter.incident;
  }
  if (filter.determination !== undefined) {
    if (!isDeterminationFilter(filter.determination)) throw invalidFilter('determination');
    conditions.push(determinationCondition(filter.determination, `${p}determinationOutcome`));
    if (filter.determination === 'included' || filter.determination === 'not_included')
      parameters[`${p}determinationOutcome`] = filter.determination;
  }
  if (filter.sla !== undefined) {
    if (filter.sla !== 'breached') throw invalidFilter('sla');
    // Breached: an open deadline already passed (finished tickets have none).
    conditions.push(`ticket.slaDueAt <= :${p}slaNow`);
    parameters[`${p}slaNow`] = context.now;
  }
  if (filter.replied !== undefined) {
    if (filter.replied !== true) throw invalidFilter('replied');
    conditions.push(CUSTOMER_REPLIED);
  }
  return { statuses, conditions, parameters };
}

/**
 * "Customer replied": the ticket's newest customer message came after the desk's newest reply
 * (the end user answered us and nobody has answered back). Two lookups per ticket on the
 * (ticket_id, id) index of messages.
 */
const CUSTOMER_REPLIED =
  "EXISTS (SELECT 1 FROM messages cr_customer WHERE cr_customer.ticket_id = ticket.id AND cr_customer.kind = 'customer'" +
  " AND cr_customer.id > (SELECT MAX(cr_reply.id) FROM messages cr_reply WHERE cr_reply.ticket_id = ticket.id AND cr_reply.kind = 'reply'))";

function validStatuses(filter: TicketListFilter): TicketStatus[] {
  if (filter.status === undefined || filter.status.length === 0) return [...ACTIVE_TICKET_STATUSES];
  if (!filter.status.every(isTicketStatus)) throw invalidFilter('status');
  return [...new Set(filter.status)];
}

export function invalidFilter(field: string): ValidationFailedException {
  return new ValidationFailedException([{ field, message: '指定できない値です。' }]);
}

/** Issue 13.1: narrows a ticket query by the ticket's current determination. */
function determinationCondition(determination: DeterminationFilter, outcomeParam: string): string {
  const current = (condition: string) =>
    `EXISTS (SELECT 1 FROM ticket_determinations d WHERE d.current_ticket_id = ticket.id${condition})`;
  if (determination === 'none') return `NOT ${current('')}`;
  if (determination === 'review') return current(' AND d.review_flagged_at IS NOT NULL');
  return current(` AND d.outcome = :${outcomeParam} AND d.review_flagged_at IS NULL`);
}
