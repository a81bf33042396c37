/**
 * Who may see which tenant-owned rows (tickets, calls, incident lines, answer approvals,
 * merchant settings, the access log). A request's scope is resolved once (desk guard →
 * TicketScopeService.forUser) and is a required argument of every tenant-owned read and write;
 * libs/tenancy turns it into the one join condition (restrictToScope). It lives in the bottom
 * lib because the audit lib, below tenancy, reads the access log by it.
 *
 * - staff: operator users; `queueIds` is the set of queues they may work ('all' for admins and
 *   supervisors, their memberships for agents).
 * - merchant: a merchant's users; only that merchant's rows exist for them (404 otherwise).
 */
export type TenantScope = StaffScope | MerchantScope;

export interface StaffScope {
  kind: 'staff';
  userId: number;
  queueIds: readonly number[] | 'all';
}

export interface MerchantScope {
  kind: 'merchant';
  userId: number;
  merchantId: number;
}

/** The background jobs that act on tenant-owned rows without a user's request. */
export type SystemJob = 'bulk-send' | 'retention' | 'notifications' | 'outbox' | 'affected-list';

const SYSTEM_SCOPE = Symbol('system scope');

/**
 * A background job's scope: every merchant, no user behind it. Built only by
 * {@link systemScope} (the symbol key cannot be written as a literal), never resolved from a
 * request, so a controller holding a request's TenantScope cannot pass one by accident; the
 * lint rule in eslint.config.mjs forbids calling systemScope() in controllers.
 */
export interface SystemScope {
  readonly kind: 'system';
  readonly job: SystemJob;
  readonly [SYSTEM_SCOPE]: true;
}

export function systemScope(job: SystemJob): SystemScope {
  return { kind: 'system', job, [SYSTEM_SCOPE]: true };
}
