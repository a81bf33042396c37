/** Filters of a merchant's access log (all optional); dates are Tokyo calendar dates, `to` inclusive. */
export interface AccessLogFilter {
  from?: string;
  to?: string;
  /** Only this user's events. */
  userId?: number;
  /** Only this action (one of AUDIT_ACTIONS). */
  action?: string;
}

/** Who acted, as the merchant may see them: operator staff or the merchant's own users. */
export interface AccessLogActor {
  id: number;
  displayName: string;
  role: string;
}

/** One line of the access log: who did what to which case, when, from where. */
export interface AccessLogEntry {
  id: number;
  action: string;
  /** null when the user no longer exists (the trail outlives users). */
  actor: AccessLogActor | null;
  actorId: number | null;
  /** The case reference when the event names a ticket. */
  ticketReference: string | null;
  ip: string | null;
  createdAt: Date;
}

export interface AccessLogPage {
  items: AccessLogEntry[];
  total: number;
  page: number;
  pageSize: number;
}
