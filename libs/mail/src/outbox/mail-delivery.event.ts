/**
 * Emitted by the outbox worker when a mail that delivers a ticket message is sent, or is given
 * up for good. The tickets side turns it into the message's delivery state.
 */
export class MailDeliveryEvent {
  static readonly eventName = 'mail.delivery';

  constructor(
    readonly messageId: number,
    readonly state: 'sent' | 'failed',
  ) {}
}
