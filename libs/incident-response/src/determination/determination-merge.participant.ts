import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type Ticket,
  type TicketMergeParticipant,
  TicketMergeParticipants,
} from '@madoguchi/tickets';
import { TicketDetermination } from './ticket-determination.entity';

/**
 * Issue 15: a merge moves the merged ticket's determinations to the survivor, as history (each
 * row unchanged but for its ticket). The survivor's own current determination stays current;
 * when it has none, the merged ticket's current one becomes the survivor's.
 */
@Injectable()
export class DeterminationMergeParticipant implements TicketMergeParticipant, OnModuleInit {
  readonly name = 'determinations';

  constructor(private readonly participants: TicketMergeParticipants) {}

  onModuleInit(): void {
    this.participants.register(this);
  }

  async moveOnMerge(
    manager: EntityManager,
    merged: Ticket,
    survivor: Ticket,
    now: Date,
  ): Promise<number> {
    const repository = manager.getRepository(TicketDetermination);
    const survivorHasCurrent = await repository.existsBy({ currentTicketId: survivor.id });
    // The unique current index: the merged ticket's current row is superseded or handed over first.
    await repository.update(
      { currentTicketId: merged.id },
      survivorHasCurrent
        ? { currentTicketId: null, supersededAt: now }
        : { currentTicketId: survivor.id },
    );
    const moved = await repository.update({ ticketId: merged.id }, { ticketId: survivor.id });
    return moved.affected ?? 0;
  }
}
