import { Injectable } from '@nestjs/common';
import { DataSource, Not, IsNull } from 'typeorm';
import type { TenantScope } from '@madoguchi/tenancy';
import { findScopedTicket } from '@madoguchi/tickets';
import { LeakCheckCode, type LeakCheckResult } from '../leak-check/leak-check-code.entity';
import { affectedListMatch, incidentOfTicket } from './affected-list-match.util';

/** What the agent sees on a leak_check ticket: list matches and the end user's verification. */
export interface AffectedListIndicator {
  incidentId: number;
  incidentTitle: string;
  /** Values on the merchant's list for the incident (0: nothing uploaded). */
  listSize: number;
  /** Which of the requester's values are on the list. */
  matched: { email: boolean; phone: boolean; order: boolean };
  /** Which of them the ticket has at all (a phone ticket has no email). */
  present: { email: boolean; phone: boolean; order: boolean };
  /** When the end user proved the email with a mailed code, and what they were shown. */
  verifiedAt: Date | null;
  verifiedResult: LeakCheckResult | null;
}

/**
 * The console's affected-list indicator. It is shown on the ticket page only, whose reading is
 * the audited `ticket.viewed`; it compares blind indexes and decrypts nothing.
 */
@Injectable()
export class AffectedListIndicatorService {
  constructor(private readonly dataSource: DataSource) {}

  /** null for tickets that are not leak_check, or when no incident applies. */
  async forTicket(scope: TenantScope, reference: string): Promise<AffectedListIndicator | null> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    if (ticket.category !== 'leak_check') return null;
    const incident = await incidentOfTicket(manager, ticket);
    if (incident === null) return null;
    const [match, verified] = await Promise.all([
      affectedListMatch(manager, incident.id, ticket),
      manager.getRepository(LeakCheckCode).findOne({
        where: { ticketId: ticket.id, usedAt: Not(IsNull()) },
        order: { id: 'DESC' },
      }),
    ]);
    return {
      incidentId: incident.id,
      incidentTitle: incident.title,
      listSize: match.listSize,
      matched: { email: match.email, phone: match.phone, order: match.order },
      present: {
        email: ticket.requesterEmailIndex !== null,
        phone: ticket.requesterPhoneIndex !== null,
        order: ticket.orderNumberIndex !== null,
      },
      verifiedAt: verified?.usedAt ?? null,
      verifiedResult: verified?.result ?? null,
    };
  }
}
