import { In, type EntityManager } from 'typeorm';
import { Incident, IncidentMerchant } from '@madoguchi/incidents';
import type { Ticket } from '@madoguchi/tickets';
import { AffectedListEntry } from './affected-list-entry.entity';

/** Which of a ticket's requester values are on the merchant's list for one incident. */
export interface AffectedListMatch {
  email: boolean;
  phone: boolean;
  order: boolean;
  /** Values on the list (0: nothing uploaded yet). */
  listSize: number;
  /** Whether the list holds any email at all (a "not included" answer needs one). */
  listHasEmails: boolean;
}

type TicketIndexes = Pick<
  Ticket,
  'merchantId' | 'requesterEmailIndex' | 'requesterPhoneIndex' | 'orderNumberIndex'
>;

/**
 * The incident a leak_check ticket is about: its own, else the newest incident that affects
 * its merchant; null when there is none.
 */
export async function incidentOfTicket(
  manager: EntityManager,
  ticket: Pick<Ticket, 'merchantId' | 'incidentId'>,
): Promise<Incident | null> {
  if (ticket.incidentId !== null) {
    return manager.getRepository(Incident).findOneBy({ id: ticket.incidentId });
  }
  const newest = await manager.getRepository(IncidentMerchant).findOne({
    where: { merchantId: ticket.merchantId, affected: true },
    order: { incidentId: 'DESC' },
  });
  return newest ? manager.getRepository(Incident).findOneBy({ id: newest.incidentId }) : null;
}

/** Compares blind indexes only: neither side is ever decrypted or known in clear. */
export async function affectedListMatch(
  manager: EntityManager,
  incidentId: number,
  ticket: TicketIndexes,
): Promise<AffectedListMatch> {
  const scope = { incidentId, merchantId: ticket.merchantId };
  const repository = manager.getRepository(AffectedListEntry);
  const indexes = [
    ticket.requesterEmailIndex,
    ticket.requesterPhoneIndex,
    ticket.orderNumberIndex,
  ].filter((value): value is string => value !== null);
  const [found, listSize, listHasEmails] = await Promise.all([
    indexes.length === 0
      ? Promise.resolve([] as AffectedListEntry[])
      : repository.find({
          select: { valueIndex: true },
          where: { ...scope, valueIndex: In(indexes) },
        }),
    repository.countBy(scope),
    repository.existsBy({ ...scope, kind: 'email' }),
  ]);
  const on = new Set(found.map((entry) => entry.valueIndex));
  const has = (value: string | null) => value !== null && on.has(value);
  return {
    email: has(ticket.requesterEmailIndex),
    phone: has(ticket.requesterPhoneIndex),
    order: has(ticket.orderNumberIndex),
    listSize,
    listHasEmails,
  };
}
