import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type Ticket,
  type TicketMergeParticipant,
  TicketMergeParticipants,
} from '@madoguchi/tickets';
import { Call } from '../call/call.entity';

/** Issue 15: a merge moves the merged ticket's calls (their log rows) to the survivor. */
@Injectable()
export class CallMergeParticipant implements TicketMergeParticipant, OnModuleInit {
  readonly name = 'calls';

  constructor(private readonly participants: TicketMergeParticipants) {}

  onModuleInit(): void {
    this.participants.register(this);
  }

  async moveOnMerge(manager: EntityManager, merged: Ticket, survivor: Ticket): Promise<number> {
    const moved = await manager
      .getRepository(Call)
      .update({ ticketId: merged.id }, { ticketId: survivor.id });
    return moved.affected ?? 0;
  }
}
