import type { EntityManager } from 'typeorm';
import type { Ticket } from './ticket.entity';

/**
 * A check a reply must pass inside its transaction (throwing refuses it, nothing is written).
 * The core calls it; a lib above provides it (incident response: a leak answer only where the
 * ticket's determination allows it), so the core never imports the rules that sit above it.
 */
export interface ReplyGuard {
  /** A reply naming an approved answer version. */
  assertAnswerAllowed(
    manager: EntityManager,
    ticket: Pick<Ticket, 'id'>,
    answerVersionId: number,
  ): Promise<void>;
  /** A reply without a version id; `fill` fills a version's placeholders as the reply would. */
  assertFreeTextAllowed(
    manager: EntityManager,
    ticket: Pick<Ticket, 'id' | 'merchantId'>,
    text: string,
    fill: (body: string) => Promise<string>,
  ): Promise<void>;
}

/** Injection token of the ReplyGuard; TicketWorkService cannot start without one. */
export const REPLY_GUARD = Symbol('REPLY_GUARD');
