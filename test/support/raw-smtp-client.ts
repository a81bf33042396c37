import { connect, type Socket } from 'node:net';

/** One SMTP reply: its code and its text lines (multi-line replies joined with \n). */
export interface SmtpReply {
  code: number;
  text: string;
}

/**
 * A bare SMTP client for tests that must misbehave where nodemailer would not: send a
 * message larger than declared, stop in the middle of DATA, send thousands of RCPT lines.
 */
export interface RawSmtpClient {
  /** The greeting (read on connect). */
  readonly greeting: SmtpReply;
  /** Sends one command line and reads its reply. */
  command(line: string): Promise<SmtpReply>;
  /** Writes bytes as they are, without waiting for a reply. */
  write(data: string | Buffer): Promise<void>;
  /** Reads the next reply (after a write that ends DATA). */
  reply(): Promise<SmtpReply>;
  /** Drops the connection at once (a client that vanishes). */
  destroy(): void;
  /** QUIT and close. */
  quit(): Promise<void>;
  readonly closed: boolean;
}

export async function openRawSmtp(port: number, host = '127.0.0.1'): Promise<RawSmtpClient> {
  const socket: Socket = connect(port, host);
  let buffer = '';
  let closed = false;
  const waiting: ((reply: SmtpReply | Error) => void)[] = [];
  const ready: SmtpReply[] = [];
  const deliver = (reply: SmtpReply | Error) => {
    const next = waiting.shift();
    if (next) next(reply);
    else if (!(reply instanceof Error)) ready.push(reply);
  };
  let lines: string[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      lines.push(line.slice(4));
      if (line[3] !== '-') {
        deliver({ code: Number(line.slice(0, 3)), text: lines.join('\n') });
        lines = [];
      }
    }
  });
  socket.on('close', () => {
    closed = true;
    while (waiting.length) deliver(new Error('connection closed'));
  });
  socket.on('error', () => undefined);
  const reply = () =>
    new Promise<SmtpReply>((resolve, reject) => {
      const queued = ready.shift();
      if (queued) return resolve(queued);
      if (closed) return reject(new Error('connection closed'));
      waiting.push((answer) => (answer instanceof Error ? reject(answer) : resolve(answer)));
    });
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) =>
      socket.write(data, (error) => (error ? reject(error) : resolve())),
    );
  const greeting = await reply();
  return {
    greeting,
    async command(line) {
      await write(`${line}\r\n`);
      return reply();
    },
    write,
    reply,
    destroy: () => socket.destroy(),
    async quit() {
      if (!closed) {
        await write('QUIT\r\n').catch(() => undefined);
        await new Promise<void>((resolve) => {
          if (closed) resolve();
          else socket.once('close', () => resolve());
        });
      }
    },
    get closed() {
      return closed;
    },
  };
}
