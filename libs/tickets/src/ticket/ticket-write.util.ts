import type { EntityManager } from 'typeorm';
import { DomainException, ErrorCode, NotFoundException, type SystemScope } from '@madoguchi/common';
import type { TenantScope } from '@madoguchi/tenancy';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import { nextSlaDueAt } from '../sla/sla-state.util';
import { TICKET_PRIORITY_RANK } from './ticket.constant';
import { Ticket } from './ticket.entity';
import { normaliseTicketReference } from './ticket-reference.util';
import type { TicketChangeResult } from './ticket-view.type';

const TICKET_NOT_FOUND = 'お問い合わせが見つかりません。';
const STALE_VERSION =
  'ほかの担当者がこのお問い合わせを先に更新しました。画面を読み込み直して内容を確認してから、もう一度操作してください。';

/**
 * One ticket of the scope by reference. Unknown, malformed and out-of-scope references all
 * give the same NotFound, so nobody learns that another merchant's ticket exists.
 */
export async function findScopedTicket(
  manager: EntityManager,
  scope: TenantScope | SystemScope,
  reference: string,
): Promise<Ticket> {
  const normalised = normaliseTicketReference(reference);
  if (normalised === null) throw new NotFoundException(TICKET_NOT_FOUND);
  const ticket = await scopedTicketQuery(manager, scope)
    .andWhere('ticket.reference = :reference', { reference: normalised })
    .getOne();
  if (!ticket) throw new NotFoundException(TICKET_NOT_FOUND);
  return ticket;
}

/** The client's version (from when it read the ticket) must still be current. */
export function assertExpectedVersion(ticket: Ticket, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== ticket.version) throw staleVersion();
}

/** StaleVersion (409): someone else changed the ticket since the client read it. */
export function staleVersion(): DomainException {
  return new DomainException(ErrorCode.StaleVersion, STALE_VERSION);
}

export type TicketFieldChanges = Partial<
  Pick<
    Ticket,
    | 'status'
    | 'category'
    | 'priority'
    | 'assigneeId'
    | 'firstRespondedAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'handedBackAt'
    | 'handBackAnsweredAt'
    | 'handBackAnsweredByUserId'
    | 'handBackRemindedAt'
    | 'firstResponseDueAt'
    | 'resolutionDueAt'
    | 'mergedIntoId'
    | 'mergedAt'
    | 'probableDuplicateOfId'
    | 'statusTokenHash'
    | 'statusToken'
    | 'pendingCustomerSince'
    | 'pendingRemindedAt'
  >
>;

/**
 * Writes `changes` to a ticket read earlier in the same transaction, only if nobody changed it
 * since (a conditional UPDATE on the version read), so two concurrent writes can never both
 * apply: the loser gets StaleVersion. Sets updatedAt, bumps the version and recomputes the SLA
 * deadline; a priority change writes its rank too (TICKET_PRIORITY_RANK), so the queues' order
 * can never disagree with the priority. Returns the ticket as now stored.
 */
export async function writeTicketChange(
  manager: EntityManager,
  ticket: Ticket,
  changes: TicketFieldChanges,
  now: Date,
): Promise<Ticket> {
  if (changes.status !== undefined && changes.status !== ticket.status) {
    // A new wait on the customer starts the pending automation's clock afresh (docs/rules.md).
    changes = {
      ...changes,
      pendingCustomerSince: changes.status === 'pending_customer' ? now : null,
      pendingRemindedAt: null,
    };
  }
  const written: Partial<Ticket> =
    changes.priority === undefined
      ? changes
      : { ...changes, priorityRank: TICKET_PRIORITY_RANK[changes.priority] };
  const next: Ticket = { ...ticket, ...written };
  const slaDueAt = nextSlaDueAt(next);
  const result = await manager
    .createQueryBuilder()
    .update(Ticket)
    .set({ ...written, slaDueAt, updatedAt: now, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: ticket.id, version: ticket.version })
    .execute();
  if (result.affected !== 1) throw staleVersion();
  return { ...next, slaDueAt, updatedAt: now, version: ticket.version + 1 };
}

/** Status side effects: timestamps set on entering resolved and closed, cleared on reopening. */
export function statusChangeEffects(
  from: Ticket,
  to: Ticket['status'],
  now: Date,
): TicketFieldChanges {
  const changes: TicketFieldChanges = { status: to };
  if (to === 'resolved') changes.resolvedAt = now;
  if (to === 'closed') changes.closedAt = now;
  if (from.status === 'resolved' && to === 'open') changes.resolvedAt = null;
  return changes;
}

export function changeResultOf(ticket: Ticket): TicketChangeResult {
  return {
    reference: ticket.reference,
    status: ticket.status,
    version: ticket.version,
    assigneeId: ticket.assigneeId,
  };
}
