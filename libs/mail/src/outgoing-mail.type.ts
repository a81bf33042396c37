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
  /**
   * The Message-ID header, `<random@INBOUND_MAIL_DOMAIN>`. Given at enqueue time (the outbox
   * assigns one when the caller does not), so every attempt of one job sends the same id and a
   * reply or a bounce names this mail.
   */
  messageIdHeader?: string;
  /** The Message-ID of the mail this one follows in its thread (the ticket's previous mail). */
  inReplyTo?: string;
  /** The thread so far, oldest first, as Message-IDs `<…>` separated by spaces. */
  references?: string;
  /** Attachments (ids of the tickets layer's attachments), loaded only when the mail is sent. */
  attachmentIds?: number[];
  /** Further headers, e.g. `Auto-Submitted: auto-generated` on the automatic mails. */
  headers?: Record<string, string>;
}

/** One attachment as a transport sends it. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * Loads a mail's attachments by id when the worker sends it. The attachments live in the
 * tickets layer, above this library, so the worker only knows this interface; the tickets layer
 * provides it under {@link MAIL_ATTACHMENT_LOADER}. Ids that are gone (erased) are simply absent.
 */
export interface MailAttachmentLoader {
  loadForMail(ids: number[]): Promise<MailAttachment[]>;
}
