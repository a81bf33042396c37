/** Emitted after the transaction that created a ticket has committed. */
export class TicketCreatedEvent {
  static readonly eventName = 'ticket.created';
  constructor(
    readonly ticketId: number,
    readonly merchantId: number,
    readonly queueId: number,
    readonly channel: 'web' | 'phone' | 'email',
  ) {}
}

/** Emitted after an end user's reply has committed. */
export class CustomerRepliedEvent {
  static readonly eventName = 'ticket.customer_replied';
  constructor(
    readonly ticketId: number,
    readonly merchantId: number,
    readonly queueId: number,
  ) {}
}
