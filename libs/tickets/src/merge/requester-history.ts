import { Brackets, type EntityManager } from 'typeorm';
import type { TenantScope } from '@madoguchi/tenancy';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import type { TicketCategory, TicketChannel, TicketStatus } from '../ticket/ticket.constant';
import type { Ticket } from '../ticket/ticket.entity';

/** The most of a requester's other tickets the ticket page and the API list. */
export const REQUESTER_HISTORY_LIMIT = 20;

export type RequesterMatch = 'email' | 'phone';

/** One of the requester's other tickets of the same merchant: no personal data. */
export interface RequesterHistoryItem {
  reference: string;
  status: TicketStatus;
  category: TicketCategory;
  channel: TicketChannel;
  siteName: string | null;
  createdAt: Date;
  /** What it shares with the ticket shown: the email's blind index, the phone's, or both. */
  matchedBy: RequesterMatch[];
  /** It was merged into this ticket (reference), or null. */
  mergedInto: string | null;
}

/** The history panel's data and the ticket's own duplicate and merge pointers (references). */
export interface RequesterContext {
  requesterHistory: RequesterHistoryItem[];
  /** Issue 15: intake's probable original (same requester and site within 24 hours), in scope. */
  probableDuplicateOf: string | null;
  /** The ticket this one was merged into (it is closed and read-only), in scope. */
  mergedInto: string | null;
}

type Indexed = Pick<Ticket, 'requesterEmailIndex' | 'requesterPhoneIndex'>;

/** What two tickets' requesters share: the email blind index, the phone's, both or nothing. */
export function sharedRequesterIndexes(a: Indexed, b: Indexed): RequesterMatch[] {
  const shared: RequesterMatch[] = [];
  if (a.requesterEmailIndex !== null && a.requesterEmailIndex === b.requesterEmailIndex) {
    shared.push('email');
  }
  if (a.requesterPhoneIndex !== null && a.requesterPhoneIndex === b.requesterPhoneIndex) {
    shared.push('phone');
  }
  return shared;
}

/**
 * The requester's other tickets of the ticket's merchant, found by the email or phone blind
 * index through the caller's scope (an agent sees those of their queues only), newest first, at
 * most {@link REQUESTER_HISTORY_LIMIT}; with the ticket's own pointers. Read with the ticket's
 * detail, so its audited view (`ticket.viewed`) covers it.
 */
export async function requesterContext(
  manager: EntityManager,
  scope: TenantScope,
  ticket: Ticket,
): Promise<RequesterContext> {
  const { requesterEmailIndex: emailIndex, requesterPhoneIndex: phoneIndex } = ticket;
  const others =
    emailIndex === null && phoneIndex === null
      ? []
      : await scopedTicketQuery(manager, scope)
          .select([
            'ticket.id',
            'ticket.reference',
            'ticket.status',
            'ticket.category',
            'ticket.channel',
            'ticket.createdAt',
            'ticket.requesterEmailIndex',
            'ticket.requesterPhoneIndex',
            'ticket.mergedIntoId',
          ])
          .leftJoin('ticket.site', 'site')
          .addSelect(['site.id', 'site.displayName'])
          .andWhere('ticket.merchantId = :merchantId', { merchantId: ticket.merchantId })
          .andWhere('ticket.id <> :id', { id: ticket.id })
          .andWhere(
            new Brackets((match) => {
              if (emailIndex !== null) {
                match.orWhere('ticket.requesterEmailIndex = :emailIndex', { emailIndex });
              }
              if (phoneIndex !== null) {
                match.orWhere('ticket.requesterPhoneIndex = :phoneIndex', { phoneIndex });
              }
            }),
          )
          .orderBy('ticket.createdAt', 'DESC')
          .addOrderBy('ticket.id', 'DESC')
          .take(REQUESTER_HISTORY_LIMIT)
          .getMany();
  const pointerIds = [
    ...others.map((other) => other.mergedIntoId),
    ticket.probableDuplicateOfId,
    ticket.mergedIntoId,
  ].filter((id): id is number => id !== null);
  const references = await referencesInScope(manager, scope, pointerIds);
  const referenceOf = (id: number | null) => (id === null ? null : (references.get(id) ?? null));
  return {
    requesterHistory: others.map((other) => ({
      reference: other.reference,
      status: other.status,
      category: other.category,
      channel: other.channel,
      siteName: other.site?.displayName ?? null,
      createdAt: other.createdAt,
      matchedBy: sharedRequesterIndexes(ticket, other),
      mergedInto:
        other.mergedIntoId === ticket.id ? ticket.reference : referenceOf(other.mergedIntoId),
    })),
    probableDuplicateOf: referenceOf(ticket.probableDuplicateOfId),
    mergedInto: referenceOf(ticket.mergedIntoId),
  };
}

async function referencesInScope(
  manager: EntityManager,
  scope: TenantScope,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await scopedTicketQuery(manager, scope)
    .select(['ticket.id', 'ticket.reference'])
    .andWhere('ticket.id IN (:...ids)', { ids: [...new Set(ids)] })
    .getMany();
  return new Map(rows.map((row) => [row.id, row.reference]));
}
