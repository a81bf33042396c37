/** Injection token of the {@link MailTransport}; `null` when no SMTP server is configured. */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** The outbox job type of a mail; other job types are left to their own workers. */
export const OUTBOX_MAIL_JOB = 'mail';

/**
 * RFC 3834's mark of a mail sent by itself (receipts, reminders): auto-responders and other
 * desks do not answer it, so two systems never answer each other in a loop.
 */
export const AUTO_GENERATED_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-generated',
};

/** Injection token of the {@link MailAttachmentLoader} (provided globally by the tickets layer). */
export const MAIL_ATTACHMENT_LOADER = Symbol('MAIL_ATTACHMENT_LOADER');
