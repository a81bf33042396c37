import type { TicketStatus } from '../ticket/ticket.constant';

/** What a bulk action does to each ticket of its selection. */
export const BULK_ACTION_KINDS = [
  'assign',
  'status',
  'priority',
  'category',
  'note',
  'canned_reply',
] as const;
export type BulkActionKind = (typeof BULK_ACTION_KINDS)[number];

export function isBulkActionKind(value: unknown): value is BulkActionKind {
  return typeof value === 'string' && (BULK_ACTION_KINDS as readonly string[]).includes(value);
}

/** preview: stored, not run yet; running: claimed by one submit; completed: every item decided. */
export const BULK_RUN_STATES = ['preview', 'running', 'completed'] as const;
export type BulkRunState = (typeof BULK_RUN_STATES)[number];

export type BulkItemState = 'pending' | 'done' | 'skipped';

/** Why a ticket of a run was left alone. */
export const BULK_SKIP_REASONS = [
  /** Someone changed the ticket after the preview (its version moved). */
  'changed',
  /** The ticket is no longer in the user's scope (moved to a queue they do not work, say). */
  'out_of_scope',
  /** The status life cycle does not allow the action now (closed, handed back, …). */
  'not_allowed',
  /** The action's value does not fit this ticket (an assignee who is no member of its queue, …). */
  'invalid',
  /** A leak answer's text that the ticket's determination does not allow (issue 13.1). */
  'determination',
  /** The canned response belongs to another merchant. */
  'canned_other_merchant',
  /** The run's user was disabled before the item's turn. */
  'author_disabled',
] as const;
export type BulkSkipReason = (typeof BULK_SKIP_REASONS)[number];

/** Largest selection one bulk action takes; a bigger one is refused with the count. */
export const BULK_ACTION_MAX_TICKETS = 500;

/** Statuses a bulk status change may set (handing back has its own confirm step and mails). */
export const BULK_STATUS_TARGETS = [
  'open',
  'pending_customer',
  'pending_merchant',
  'resolved',
  'closed',
] as const satisfies readonly TicketStatus[];

/** Statuses a bulk canned reply may leave the ticket in (those of a single reply). */
export const BULK_REPLY_NEXT_STATUSES = [
  'open',
  'pending_customer',
  'pending_merchant',
  'resolved',
] as const satisfies readonly TicketStatus[];
