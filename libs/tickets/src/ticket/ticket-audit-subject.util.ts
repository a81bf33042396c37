import type { AuditSubject } from '@madoguchi/audit';
import type { Ticket } from './ticket.entity';

/** A ticket as the audit trail names it: by its reference, under its merchant. */
export function ticketAuditSubject(ticket: Pick<Ticket, 'merchantId' | 'reference'>): AuditSubject {
  return { merchantId: ticket.merchantId, target: { type: 'ticket', id: ticket.reference } };
}
