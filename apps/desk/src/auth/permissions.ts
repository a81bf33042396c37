import type { UserRole } from '@madoguchi/auth';

/**
 * What each role may do, in one map (STYLE 7). Routes ask for a permission with
 * `@RequirePermission(...)`; the session guard answers 403 to everyone else. Tenant scope (which
 * tickets) is a separate matter, applied by the tickets lib.
 */
export const PERMISSIONS = {
  /** Read tickets, queues and calls within one's scope. */
  'ticket.read': ['admin', 'supervisor', 'agent', 'merchant_admin', 'merchant_viewer'],
  /** Claim, reply, note, change status, hand back. */
  'ticket.work': ['admin', 'supervisor', 'agent'],
  /** Merge tickets that share no email or phone (issue 15): a supervisor confirms they are one requester. */
  'ticket.merge_unrelated': ['admin', 'supervisor'],
  /** Take calls in the browser, wrap them up, work the callback to-do list. */
  'call.take': ['admin', 'supervisor', 'agent'],
  /** Call statistics (answer rate, waits, calls per hour). */
  'call.stats': ['admin', 'supervisor'],
  /** Create, edit and delete canned responses. */
  'canned.manage': ['admin', 'supervisor'],
  /** Intake rules and the pending-customer automation (docs/rules.md): admins only. */
  'rules.manage': ['admin'],
  /** The supervisors' dashboard: open tickets per merchant, SLA breaches, agent workload. */
  'dashboard.read': ['admin', 'supervisor'],
  /** Read the audit trail (merchants: their own tenant's). */
  'audit.read': ['admin', 'supervisor', 'merchant_admin'],
  /** A merchant's own settings: notification addresses, allowed IP ranges. */
  'merchant.settings': ['admin', 'merchant_admin'],
  /** Download the merchant's cases as CSV (bounded, audited, password asked again). */
  'export.cases': ['merchant_admin'],
  /** Upload the merchant's affected-customer lists (blind indexes only) and see their uploads. */
  'affected_list.manage': ['merchant_admin'],
  /** Users: invite, roles, disable, unlock, second factor (admins only: a role can grant admin). */
  'admin.manage': ['admin'],
  /** Approve an incident answer version for the merchant's customers, or ask for changes. */
  'answer.approve': ['merchant_admin'],
  /** Setting the desk up: merchants, sites, queues and members, calendar closures. */
  'setup.manage': ['admin', 'supervisor'],
  /** Send an approved incident answer to many tickets (a merchant admin: its own tickets). */
  'bulk.send': ['admin', 'supervisor', 'merchant_admin'],
  /**
   * The incident report (aggregates; the access section only with audit.read): a merchant's own
   * in the portal, any affected merchant's and all of them at once for supervisors and admins.
   */
  'incident_report.read': ['admin', 'supervisor', 'merchant_admin', 'merchant_viewer'],
  /** Share a saved view with every staff member, and delete shared ones (issue 15). */
  'view.share': ['admin', 'supervisor'],
  /** The mail outbox page: undelivered mail (masked), retry and discard (admins only). */
  'outbox.manage': ['admin'],
} as const satisfies Record<string, readonly UserRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(role: UserRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly UserRole[]).includes(role);
}

/** What a route asks of a role: its @Roles() (empty: any role) and every @RequirePermission(). */
export interface RouteAccess {
  roles: readonly UserRole[];
  permissions: readonly Permission[];
}

/**
 * Whether a role passes a route's @Roles() and @RequirePermission(): the one rule of the session
 * guard, the pre-body gate and the menus (page-access.ts), so a menu cannot offer a page that
 * answers 403.
 */
export function accessAllows(access: RouteAccess, role: UserRole): boolean {
  return (
    (access.roles.length === 0 || access.roles.includes(role)) &&
    access.permissions.every((permission) => hasPermission(role, permission))
  );
}
