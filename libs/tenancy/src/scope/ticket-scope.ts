/**
 * The tenant scope of a request, resolved once (desk guard → TicketScopeService.forUser) and
 * required by every ticket read and write: no ticket query exists without one.
 *
 * - staff: operator users; `queueIds` is the set of queues they may work ('all' for admins and
 *   supervisors, their memberships for agents).
 * - merchant: a merchant's users; only that merchant's tickets exist for them (404 otherwise).
 */
export type TicketScope =
  | { kind: 'staff'; userId: number; queueIds: readonly number[] | 'all' }
  | { kind: 'merchant'; userId: number; merchantId: number };

/** Who acts, for audit and authorship. */
export interface TicketActor {
  userId: number;
  ip: string | null;
}
