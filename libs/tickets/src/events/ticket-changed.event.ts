/** What happened to a ticket in the desk. */
export type TicketChangeKind =
  | 'assigned'
  | 'released'
  | 'replied'
  | 'note_added'
  | 'status_changed'
  | 'updated'
  | 'handed_back'
  /** An agent asked the merchant a question (its own mail; the pending_merchant notice skips it). */
  | 'merchant_question'
  /** The merchant marked a handed-back case answered in the portal. */
  | 'hand_back_answered'
  /** Issue 15: the ticket was merged into another (closed) / received another's conversation. */
  | 'merged'
  | 'merge_received';

/** Emitted after a desk change to a ticket has committed (the merchant-question notice listens). */
export class TicketChangedEvent {
  constructor(
    readonly ticketId: number,
    readonly reference: string,
    readonly merchantId: number,
    readonly queueId: number,
    readonly kind: TicketChangeKind,
    readonly version: number,
  ) {}
}

declare module '@madoguchi/common' {
  interface DeskEvents {
    'ticket.changed': TicketChangedEvent;
  }
}
