import { createTransport, type Transporter } from 'nodemailer';
import type { MailAttachment, OutgoingMail } from './outgoing-mail.type';

/** A mail ready for the wire: the sender address added, the attachments loaded. */
export type SendableMail = Omit<OutgoingMail, 'attachmentIds'> & {
  fromAddress: string;
  attachments?: MailAttachment[];
};

/** Hands one mail to a mail server; resolves once the server accepted it, rejects otherwise. */
export interface MailTransport {
  send(mail: SendableMail): Promise<void>;
}

/**
 * SMTP through nodemailer. One connection per mail (no pool): nothing to keep alive between
 * polls, and a failed connection never poisons the next job.
 *
 * There is deliberately no "log-only" transport: a transport that pretends to deliver would
 * mark mail as sent and lose it. Without SMTP_URL (allowed outside production only) the
 * worker gets no transport at all and keeps the mail pending in the outbox; see OutboxWorker.
 */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(smtpUrl: string) {
    this.transporter = createTransport({
      url: smtpUrl,
      // Well under the worker's 60 s lease, so a hung server fails the attempt instead of
      // letting another worker take over the job while this one may still deliver it.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: SendableMail): Promise<void> {
    await this.transporter.sendMail({
      // An address object, not a hand-built `"name" <addr>` string: nodemailer then quotes
      // and MIME-encodes a Japanese display name correctly.
      from: { name: mail.fromName, address: mail.fromAddress },
      to: mail.to,
      replyTo: mail.replyTo,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // Ours, so a reply's In-Reply-To and a bounce name this mail; nodemailer makes one otherwise.
      messageId: mail.messageIdHeader,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      headers: mail.headers,
      attachments: mail.attachments?.map((attachment) => ({
        filename: attachment.filename,
        content: attachment.content,
        contentType: attachment.contentType,
        contentDisposition: 'attachment' as const,
      })),
    });
  }
}
