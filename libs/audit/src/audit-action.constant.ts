/** Every audited action, in one list, so reports and tests name them the same way. */
export const AUDIT_ACTIONS = {
  ticketCreated: 'ticket.created',
  ticketCustomerReplied: 'ticket.customer_replied',
  ticketStatusPageViewed: 'ticket.status_page_viewed',
} as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];
