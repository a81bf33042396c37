import type { TicketCategory, TicketChannel, TicketPriority } from '../ticket/ticket.constant';

/** `intake`: a trigger when a ticket is opened; `pending_customer`: the waiting automation. */
export const RULE_KINDS = ['intake', 'pending_customer'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export function isRuleKind(value: unknown): value is RuleKind {
  return typeof value === 'string' && (RULE_KINDS as readonly string[]).includes(value);
}

/** An intake rule's conditions; every list that is not empty must match (words: any of them). */
export interface RuleConditions {
  channels: TicketChannel[];
  categories: TicketCategory[];
  /** Words of the first message, matched after {@link normaliseRuleText}. */
  keywords: string[];
}

export interface IntakeRuleActions {
  priority: TicketPriority | null;
  category: TicketCategory | null;
}

/** The pending-customer automation: remind after N business days, resolve M after the reminder. */
export interface PendingRuleActions {
  remindAfterDays: number;
  reminderText: string;
  resolveAfterDays: number;
  resolutionText: string;
}

export const RULE_NAME_MAX_LENGTH = 100;
export const RULE_KEYWORDS_MAX = 50;
export const RULE_KEYWORD_MAX_LENGTH = 100;
export const RULE_TEXT_MAX_LENGTH = 5_000;
export const RULE_DAYS_MIN = 1;
export const RULE_DAYS_MAX = 60;

/** The priority of a ticket no rule and no caller set. */
export const DEFAULT_TICKET_PRIORITY: TicketPriority = 'normal';
