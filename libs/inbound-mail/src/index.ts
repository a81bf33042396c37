// Mail that arrives at the desk (docs/email.md): parsed, classified, threaded into tickets.
export * from './ingest/inbound-outcome.type';
export * from './ingest/inbound-mail.entity';
export * from './ingest/inbound-mail.service';
export * from './inbound-mail.module';
export { stripQuotedHistory, isForwardSubject } from './quoted-history/quoted-history.util';
// The IMAP poller (TRANSPORTS' part, libs/inbound-mail/src/imap/).
export * from './imap/inbound-imap-poller';
export * from './imap/imap-url';
