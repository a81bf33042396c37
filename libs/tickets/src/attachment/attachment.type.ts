/** A file as it arrived (form upload, mail part): nothing about it is trusted yet. */
export interface IncomingFile {
  filename: string;
  bytes: Buffer;
}

/**
 * A file AttachmentInspector accepted: type from the bytes, metadata stripped, name sanitised
 * with the extension of its type. Only these are stored or sent.
 */
export interface CleanFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** Who a stored attachment belongs to. */
export interface AttachmentOwner {
  ticketId: number;
  messageId: number;
  merchantId: number;
}

/** What lists and the ticket JSON show of an attachment (no bytes). */
export interface AttachmentInfo {
  id: number;
  messageId: number;
  filename: string;
  contentType: string;
  size: number;
}

/** An attachment with its bytes, for a download (sendAttachment) or a mail. */
export interface AttachmentFile extends AttachmentInfo {
  content: Buffer;
}

/** An attachment for an outgoing mail (the outbox worker attaches these). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}
