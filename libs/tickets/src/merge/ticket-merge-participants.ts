import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Ticket } from '../ticket/ticket.entity';

/**
 * A lib above the ticket core that keeps rows of a ticket (the call log, the determinations)
 * and moves them in a merge, inside the merge's transaction (throwing undoes the merge). It
 * returns how many rows it moved, for the audit events. The core never imports those libs: they
 * register here when their module starts.
 */
export interface TicketMergeParticipant {
  /** The count's name in the audit detail (`calls`, `determinations`). */
  readonly name: string;
  moveOnMerge(manager: EntityManager, merged: Ticket, survivor: Ticket, now: Date): Promise<number>;
}

/** The participants of a merge, registered by their modules (CallWorkModule, IncidentDeskModule). */
@Injectable()
export class TicketMergeParticipants {
  private readonly participants = new Map<string, TicketMergeParticipant>();

  register(participant: TicketMergeParticipant): void {
    this.participants.set(participant.name, participant);
  }

  all(): readonly TicketMergeParticipant[] {
    return [...this.participants.values()];
  }
}
