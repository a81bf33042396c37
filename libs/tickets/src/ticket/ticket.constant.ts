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
