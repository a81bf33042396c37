/** One mail as the outbox stores it (encrypted) and a transport sends it. */
export interface OutgoingMail {
  to: string;
  /** Display name of the sender, e.g. the merchant's sender name; the address is the app's. */
  fromName: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** The ticket message this mail delivers, for delivery-state updates. */
  messageId?: number;
}
