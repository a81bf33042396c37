import type { AttachmentInfo } from '../attachment/attachment.type';
import type { RequesterHistoryItem } from '../merge/requester-history';
import type { MessageKind } from '../message/message.entity';
import type {
  TicketCategory,
  TicketChannel,
  TicketPriority,
  TicketStatus,
} from './ticket.constant';

/** Where a ticket stands against its next SLA deadline (business hours). */
export type SlaState = 'breached' | 'due_soon' | 'on_track' | 'none';

export interface PageRequest {
  /** 1-based. */
  page: number;
  /** 1..100. */
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Queue filters; every field optional. `assignee` is 'me', 'unassigned' or a user id. */
export interface TicketListFilter {
  /** Default: the active statuses (new, open, pending_customer, pending_merchant). */
  status?: TicketStatus[];
  category?: TicketCategory;
  channel?: TicketChannel;
  assignee?: 'me' | 'unassigned' | number;
  /** Only tickets linked to this incident. */
  incident?: number;
  /**
   * By the ticket's current determination (issue 13.1): `review` flagged for review,
   * `included` / `not_included` (not flagged), `none` without one.
   */
  determination?: DeterminationFilter;
  /** Only tickets whose open deadline has passed (the built-in view SLA超過). */
  sla?: 'breached';
  /** Only tickets whose end user wrote after the desk's last reply (お客様から返信あり). */
  replied?: true;
}

export const DETERMINATION_FILTERS = ['review', 'included', 'not_included', 'none'] as const;
export type DeterminationFilter = (typeof DETERMINATION_FILTERS)[number];

export function isDeterminationFilter(value: unknown): value is DeterminationFilter {
  return typeof value === 'string' && (DETERMINATION_FILTERS as readonly string[]).includes(value);
}

/** A row of a queue list or a search result: no personal data, so listing needs no view audit. */
export interface TicketListItem {
  reference: string;
  merchantId: number;
  merchantName: string;
  siteName: string | null;
  queueId: number;
  channel: TicketChannel;
  category: TicketCategory;
  status: TicketStatus;
  priority: TicketPriority;
  assignee: { id: number; displayName: string } | null;
  createdAt: Date;
  updatedAt: Date;
  slaDueAt: Date | null;
  slaState: SlaState;
  version: number;
  /** Issue 15: intake took it for a probable duplicate (same requester and site within 24 h). */
  probableDuplicate?: boolean;
}

export interface QueueSummary {
  id: number;
  name: string;
  merchantId: number;
  merchantName: string;
  /** Count per status, every status present (0 when none). */
  countsByStatus: Record<TicketStatus, number>;
  /** Active tickets (not resolved, closed or handed back) by SLA state. */
  countsBySla: Record<Exclude<SlaState, 'none'>, number>;
  unassigned: number;
}

export interface TicketMessageView {
  id: number;
  kind: MessageKind;
  /** Decrypted; null once retention erased it. */
  body: string | null;
  author: { id: number; displayName: string } | null;
  deliveryState: 'queued' | 'sent' | 'failed' | null;
  /**
   * A failed reply: why its mail did not arrive (the mail server's answer or the bounce's
   * reason, addresses removed), when the outbox still knows it.
   */
  deliveryFailure?: string | null;
  /** A reply that used an approved incident answer: that version's id. */
  answerVersionId: number | null;
  /** That version's number (1, 2, …), or null. */
  answerVersion: number | null;
  /**
   * Issue 13.2: `verbatim` when the reply's text equals the approved text filled in
   * (whitespace-normalised), `edited` when it was based on that version and changed; null
   * without an approved answer.
   */
  answerProvenance: 'verbatim' | 'edited' | null;
  /** A correction: the earlier reply it corrects (its message id), or null. */
  correctsMessageId: number | null;
  /** The files on the message (no bytes): downloads go through a scoped, audited route. */
  attachments?: AttachmentInfo[];
  /** Issue 15: the message came with a merge from this ticket (its reference), or null. */
  mergedFrom?: string | null;
  createdAt: Date;
}

/** One ticket with its requester and conversation: reading it is an audited view. */
export interface TicketDetail extends TicketListItem {
  siteId: number | null;
  requester: {
    name: string | null;
    email: string | null;
    phone: string | null;
    orderNumber: string | null;
  };
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** The merchant's own contact (hand-back target), from its site. */
  merchantContact: { url: string | null; text: string | null };
  /** Internal notes included: only staff and merchant users ever get a TicketDetail. */
  messages: TicketMessageView[];
  /** Statuses this ticket may move to now, per the life cycle. */
  allowedStatuses: TicketStatus[];
  /** The incident the ticket is linked to (incident mode), or null. */
  incident: { id: number; title: string } | null;
  /**
   * Issue 15: the requester's other tickets of the merchant (email or phone blind index, within
   * the reader's scope), newest first; part of the audited view.
   */
  requesterHistory?: RequesterHistoryItem[];
  /** The earlier ticket intake took this one for a probable duplicate of (reference), or null. */
  probableDuplicateOf?: string | null;
  /** The ticket this one was merged into (reference): it is closed and read-only. */
  mergedInto?: string | null;
}

/** What a write returns: enough for the client to carry on with the new version. */
export interface TicketChangeResult {
  reference: string;
  status: TicketStatus;
  version: number;
  assigneeId: number | null;
}

export interface CannedResponseView {
  id: number;
  /** null: global, offered on every merchant's tickets. */
  merchantId: number | null;
  title: string;
  body: string;
  updatedAt: Date;
}
