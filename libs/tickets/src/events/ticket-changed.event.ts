/** What happened to a ticket in the desk. */
export type TicketChangeKind =
  'assigned' | 'released' | 'replied' | 'note_added' | 'status_changed' | 'updated' | 'handed_back';

/** Emitted after a desk change to a ticket has committed (live views, notifications). */
export class TicketChangedEvent {
  static readonly eventName = 'ticket.changed';
  constructor(
    readonly ticketId: number,
    readonly reference: string,
    readonly merchantId: number,
    readonly queueId: number,
    readonly kind: TicketChangeKind,
    readonly version: number,
  ) {}
}
