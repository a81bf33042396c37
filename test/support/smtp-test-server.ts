import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message as the test server received it, with headers and bodies decoded. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The message source as sent (MIME-encoded). */
  raw: string;
  /** Lower-case header names, values unfolded and with encoded-words decoded. */
  headers: Map<string, string>;
  subject: string;
  text: string;
  html?: string;
}

export interface SmtpTestServer {
  readonly url: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Answer DATA of the next n messages with a 451 that echoes the recipient's address. */
  rejectNext: number;
  /** The reply code of those refusals: 451 (try later) unless a test wants a permanent 550. */
  rejectCode: number;
  /** Hold the reply to the next message's DATA for this long (a slow server). */
  delayNextMs: number;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (plain, no auth needed) that keeps what it receives.
 * Pass the port of a stopped server to bring it back on the same URL.
 */
export async function startSmtpTestServer(port = 0): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  const control = { rejectNext: 0, rejectCode: 451, delayNextMs: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    secure: false,
    logger: false,
    closeTimeout: 200,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        if (control.rejectNext > 0) {
          control.rejectNext--;
          const error = Object.assign(
            new Error(`4.3.0 Mailbox ${envelopeTo.join(', ')} temporarily unavailable`),
            { responseCode: control.rejectCode },
          );
          callback(error);
          return;
        }
        const delay = control.delayNextMs;
        control.delayNextMs = 0;
        setTimeout(() => {
          const mailFrom = session.envelope.mailFrom;
          messages.push(
            parseMessage(
              Buffer.concat(chunks).toString('utf8'),
              mailFrom ? mailFrom.address : '',
              envelopeTo,
            ),
          );
          callback();
        }, delay);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const bound = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    messages,
    get rejectNext() {
      return control.rejectNext;
    },
    set rejectNext(n: number) {
      control.rejectNext = n;
    },
    get rejectCode() {
      return control.rejectCode;
    },
    set rejectCode(code: number) {
      control.rejectCode = code;
    },
    get delayNextMs() {
      return control.delayNextMs;
    },
    set delayNextMs(ms: number) {
      control.delayNextMs = ms;
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} messages within ${timeoutMs} ms, got ${messages.length}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return messages;
    },
    reset() {
      messages.length = 0;
      control.rejectNext = 0;
      control.delayNextMs = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseMessage(raw: string, envelopeFrom: string, envelopeTo: string[]): ReceivedMail {
  const { headers, body } = splitHeaders(raw);
  const bodies = parseBody(headers, body);
  return {
    envelopeFrom,
    envelopeTo,
    raw,
    headers,
    subject: headers.get('subject') ?? '',
    ...bodies,
  };
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

/** text/plain and text/html of a message, through multipart nesting, transfer-decoded. */
function parseBody(headers: Map<string, string>, body: string): { text: string; html?: string } {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (/^multipart\//i.test(contentType) && boundary) {
    const result: { text: string; html?: string } = { text: '' };
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const parsed = splitHeaders(part.replace(/^\r?\n/, ''));
      const inner = parseBody(parsed.headers, parsed.body);
      if (inner.text && !result.text) result.text = inner.text;
      if (inner.html && !result.html) result.html = inner.html;
    }
    return result;
  }
  const decoded = decodeTransfer(body, headers.get('content-transfer-encoding') ?? '7bit');
  return /^text\/html/i.test(contentType) ? { text: '', html: decoded } : { text: decoded };
}

function decodeTransfer(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\r?\n/g, '')).replace(/\r?\n$/, '');
    default:
      return body.replace(/\r?\n$/, '');
  }
}

function decodeQuotedPrintable(text: string): string {
  return quotedPrintableBytes(text).toString('utf8');
}

function quotedPrintableBytes(text: string): Buffer {
  const latin1 = text.replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return Buffer.from(latin1, 'latin1');
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/**
 * RFC 2047: adjacent encoded-words are joined (the space between them is not text) and
 * decoded as one byte run, since a multi-byte character may be split across two words.
 */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
      const bytes = [...run.matchAll(ENCODED_WORD)].map(([, , kind, text]) =>
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : quotedPrintableBytes(text.replace(/_/g, ' ')),
      );
      return Buffer.concat(bytes).toString('utf8');
    });
}
