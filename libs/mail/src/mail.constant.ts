/** Injection token of the {@link MailTransport}; `null` when no SMTP server is configured. */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** The outbox job type of a mail; other job types are left to their own workers. */
export const OUTBOX_MAIL_JOB = 'mail';
