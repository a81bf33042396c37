/** The fixed inquiry categories of the contract, with their Japanese labels. */
export const TICKET_CATEGORIES = {
  leak_check: '流出の有無・対象の確認',
  suspicious_contact: '不審な連絡・悪用の報告',
  password: 'パスワード・会員情報',
  payment: '決済・カード',
  data_request: '個人情報の開示・削除の依頼',
  other: 'その他',
} as const;
export type TicketCategory = keyof typeof TICKET_CATEGORIES;
export const TICKET_CATEGORY_KEYS = Object.keys(TICKET_CATEGORIES) as TicketCategory[];

export const TICKET_STATUSES = [
  'new',
  'open',
  'pending_customer',
  'pending_merchant',
  'resolved',
  'closed',
  'handed_back',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CHANNELS = ['web', 'phone', 'email'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/**
 * Each priority as a number that sorts (issue 15): urgent highest. Stored beside the priority in
 * `tickets.priority_rank` and kept in step wherever the priority changes, so queues order by
 * `priority_rank DESC, sla_due_at ASC, id ASC` from the `(queue_id, priority_rank, sla_due_at)` index.
 */
export const TICKET_PRIORITY_RANK: Readonly<Record<TicketPriority, number>> = {
  low: 0,
  normal: 1,
  high: 2,
  urgent: 3,
};

/** Statuses an agent still works on: they carry an SLA deadline and count in the queue. */
export const ACTIVE_TICKET_STATUSES: readonly TicketStatus[] = [
  'new',
  'open',
  'pending_customer',
  'pending_merchant',
];

/** Finished statuses: no SLA deadline. */
export const INACTIVE_TICKET_STATUSES: readonly TicketStatus[] = [
  'resolved',
  'closed',
  'handed_back',
];

/**
 * The staff's and merchants' word for each status, the one source for every page, the CSV
 * export and the messages that name a status (the shopper's status page has its own, softer
 * words in the intake app).
 */
export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  new: '新規',
  open: '対応中',
  pending_customer: 'お客様の返答待ち',
  pending_merchant: '加盟店の返答待ち',
  resolved: '解決済み',
  closed: '完了',
  handed_back: '加盟店へ返却',
};

export const TICKET_PRIORITY_LABELS: Readonly<Record<TicketPriority, string>> = {
  low: '低',
  normal: '通常',
  high: '高',
  urgent: '緊急',
};

export const TICKET_CHANNEL_LABELS: Readonly<Record<TicketChannel, string>> = {
  web: 'Web',
  phone: '電話',
  email: 'メール',
};

export function isTicketStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (TICKET_STATUSES as readonly string[]).includes(value);
}

export function isTicketCategory(value: unknown): value is TicketCategory {
  return (
    typeof value === 'string' && Object.prototype.hasOwnProperty.call(TICKET_CATEGORIES, value)
  );
}

export function isTicketPriority(value: unknown): value is TicketPriority {
  return typeof value === 'string' && (TICKET_PRIORITIES as readonly string[]).includes(value);
}

export function isTicketChannel(value: unknown): value is TicketChannel {
  return typeof value === 'string' && (TICKET_CHANNELS as readonly string[]).includes(value);
}
