/**
 * What a bulk send goes to:
 * - `incident_open`: the merchant's tickets of the incident that are still open
 *   (new, open, pending_customer, pending_merchant);
 * - `outdated_receivers`: the merchant's tickets whose end users got an older version of the
 *   template than the one approved now (the correction).
 */
export const BULK_SEND_SELECTIONS = ['incident_open', 'outdated_receivers'] as const;
export type BulkSendSelection = (typeof BULK_SEND_SELECTIONS)[number];

export const BULK_SEND_STATES = ['running', 'completed', 'cancelled'] as const;
export type BulkSendState = (typeof BULK_SEND_STATES)[number];

/** Why an item was not sent. */
export const BULK_SKIP_REASONS = [
  /** Closed, handed back or erased since the run started: it takes no more replies. */
  'not_accepting',
  /** A newer version was approved meanwhile: the old one must not go out any more. */
  'superseded',
  /** The ticket already has a reply with this very version (from another run or an agent). */
  'already_received',
  /** The run was cancelled before this item's turn. */
  'cancelled',
  /** The user who started the run was disabled: nothing more goes out in their name. */
  'author_disabled',
  /**
   * A leak answer whose ticket's determination no longer allows it (changed or flagged for
   * review after the run started; issue 13.1).
   */
  'determination_mismatch',
  /** The ticket has no email address (any more): nothing could deliver the answer (issue 15). */
  'no_email',
] as const;
export type BulkSkipReason = (typeof BULK_SKIP_REASONS)[number];

/** Statuses an `incident_open` selection includes. */
export const BULK_OPEN_STATUSES = ['new', 'open', 'pending_customer', 'pending_merchant'] as const;

/** Largest selection one run takes (the preview says so beyond it). */
export const BULK_SEND_MAX_ITEMS = 20_000;
