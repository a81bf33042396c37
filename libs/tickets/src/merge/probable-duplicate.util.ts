import { Brackets, type EntityManager } from 'typeorm';
import { Ticket } from '../ticket/ticket.entity';

/** A new ticket is a probable duplicate of one the same requester sent to the same site within this. */
export const PROBABLE_DUPLICATE_WINDOW_HOURS = 24;

/**
 * The earliest ticket of `siteId` opened within {@link PROBABLE_DUPLICATE_WINDOW_HOURS} before
 * `now` by the same requester (email or phone blind index), not merged away; null when there is
 * none or the requester has neither. Asked before the new ticket is stored.
 */
export async function probableDuplicateOf(
  manager: EntityManager,
  requester: { siteId: number | null; emailIndex: string | null; phoneIndex: string | null },
  now: Date,
): Promise<number | null> {
  const { siteId, emailIndex, phoneIndex } = requester;
  if (siteId === null || (emailIndex === null && phoneIndex === null)) return null;
  const since = new Date(now.getTime() - PROBABLE_DUPLICATE_WINDOW_HOURS * 3600_000);
  const earlier = await manager
    .getRepository(Ticket)
    .createQueryBuilder('ticket')
    .select(['ticket.id'])
    .where(
      new Brackets((match) => {
        if (emailIndex !== null)
          match.orWhere('ticket.requesterEmailIndex = :emailIndex', { emailIndex });
        if (phoneIndex !== null)
          match.orWhere('ticket.requesterPhoneIndex = :phoneIndex', { phoneIndex });
      }),
    )
    .andWhere('ticket.siteId = :siteId', { siteId })
    .andWhere('ticket.createdAt >= :since', { since })
    .andWhere('ticket.mergedIntoId IS NULL')
    .orderBy('ticket.id', 'ASC')
    .getOne();
  return earlier?.id ?? null;
}
