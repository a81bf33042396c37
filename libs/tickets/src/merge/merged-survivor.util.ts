import type { EntityManager } from 'typeorm';
import { Ticket } from '../ticket/ticket.entity';

/** Merges followed from a merged ticket to the one that carries on, at most. */
const MERGE_HOPS = 5;

/**
 * Issue 15: the ticket a merged one lives on in (following later merges), or the ticket itself
 * when it was not merged. For what reaches an old ticket by its own keys (a mail to its reply
 * address): the survivor is of the same merchant, so no scope is crossed.
 */
export async function survivorOf(manager: EntityManager, ticket: Ticket): Promise<Ticket> {
  let current = ticket;
  for (let hop = 0; hop < MERGE_HOPS && current.mergedIntoId !== null; hop++) {
    const next = await manager.getRepository(Ticket).findOneBy({ id: current.mergedIntoId });
    if (!next || next.merchantId !== current.merchantId) break;
    current = next;
  }
  return current;
}
