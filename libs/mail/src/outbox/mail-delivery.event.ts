/**
 * Emitted by the outbox worker when a mail that delivers a ticket message is sent, or is given
 * up for good. The tickets side turns it into the message's delivery state.
 */
export class MailDeliveryEvent {
  constructor(
    readonly messageId: number,
    readonly state: 'sent' | 'failed',
  ) {}
}

declare module '@madoguchi/common' {
  interface DeskEvents {
    'mail.delivery': MailDeliveryEvent;
  }
}
