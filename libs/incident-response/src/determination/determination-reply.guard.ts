import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReplyGuard, Ticket } from '@madoguchi/tickets';
import {
  assertDeterminationAllows,
  assertFreeTextDeterminationAllows,
} from './determination.rules';

/** Issue 13.1: a leak answer goes out only where the ticket's current determination matches it. */
@Injectable()
export class DeterminationReplyGuard implements ReplyGuard {
  assertAnswerAllowed(
    manager: EntityManager,
    ticket: Pick<Ticket, 'id'>,
    answerVersionId: number,
  ): Promise<void> {
    return assertDeterminationAllows(manager, ticket, answerVersionId);
  }

  assertFreeTextAllowed(
    manager: EntityManager,
    ticket: Pick<Ticket, 'id' | 'merchantId'>,
    text: string,
    fill: (body: string) => Promise<string>,
  ): Promise<void> {
    return assertFreeTextDeterminationAllows(manager, ticket, text, fill);
  }
}
