/** Where the IMAP poller reads mail: the parts of INBOUND_IMAP_URL. */
export interface ImapMailboxTarget {
  host: string;
  port: number;
  /** imaps:// (TLS from the first byte); imap:// upgrades with STARTTLS when offered. */
  secure: boolean;
  user: string;
  pass: string;
  /** The mailbox polled; INBOX when the URL names none. */
  mailbox: string;
}

/**
 * `imap(s)://user:pass@host:port/Mailbox` (user and password percent-encoded, as in any URL;
 * the mailbox too, e.g. `INBOX%2Fsupport`). Throws a message that never repeats the password.
 */
export function parseImapUrl(value: string): ImapMailboxTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('INBOUND_IMAP_URL is not a URL (imap://user:pass@host:port/Mailbox)');
  }
  const secure = url.protocol === 'imaps:';
  if (!secure && url.protocol !== 'imap:') {
    throw new Error('INBOUND_IMAP_URL must start with imap:// or imaps://');
  }
  if (!url.hostname || !url.username) {
    throw new Error(
      'INBOUND_IMAP_URL needs a user and a host (imap://user:pass@host:port/Mailbox)',
    );
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX',
  };
}

/** The URL without its password, for logs. */
export function describeImapTarget(target: ImapMailboxTarget): string {
  return `${target.secure ? 'imaps' : 'imap'}://${target.user}@${target.host}:${target.port}/${target.mailbox}`;
}
