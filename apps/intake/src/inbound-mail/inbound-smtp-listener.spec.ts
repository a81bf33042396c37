import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { loadConfig } from '@madoguchi/config';
import {
  type InboundMailService,
  type InboundMeta,
  type InboundOutcome,
  InboundTemporaryError,
} from '@madoguchi/inbound-mail';
import { freePort } from '../../../../test/support/free-port';
import { openRawSmtp, type RawSmtpClient } from '../../../../test/support/raw-smtp-client';
import {
  acceptsDomain,
  INBOUND_SMTP_MAX_RECIPIENTS,
  InboundSmtpListener,
} from './inbound-smtp-listener';

const DOMAIN = 'inbound.madoguchi.test';
const MAX_BYTES = 4096;

// The listener logs every answer; the assertions here say what matters.
beforeAll(() => Logger.overrideLogger(false));

/**
 * The listener over real SMTP on loopback, with a stand-in for InboundMailService whose answer
 * each test sets: the protocol side (which reply for which outcome, limits, bad clients) on its
 * own. test/e2e/inbound-smtp.e2e-spec.ts runs the whole chain into tickets.
 */
describe('InboundSmtpListener', () => {
  let listener: InboundSmtpListener;
  let port: number;
  const calls: { raw: Buffer; meta: InboundMeta }[] = [];
  let answer: (raw: Buffer) => Promise<InboundOutcome>;
  let open: RawSmtpClient[] = [];

  const inbound = {
    ingest: (raw: Buffer, meta: InboundMeta) => {
      calls.push({ raw, meta });
      return answer(raw);
    },
  } as unknown as InboundMailService;

  beforeAll(async () => {
    port = await freePort();
    const config = loadConfig({
      NODE_ENV: 'test',
      INBOUND_SMTP_PORT: String(port),
      INBOUND_MAIL_DOMAIN: DOMAIN,
      INBOUND_MAIL_MAX_BYTES: String(MAX_BYTES),
    });
    listener = new InboundSmtpListener(config, inbound);
    await listener.onApplicationBootstrap();
  });

  afterAll(async () => {
    await listener.beforeApplicationShutdown();
  });

  beforeEach(() => {
    calls.length = 0;
    answer = () => Promise.resolve({ kind: 'reply', ticketId: 1 });
  });

  afterEach(async () => {
    for (const client of open) client.destroy();
    open = [];
  });

  async function client(): Promise<RawSmtpClient> {
    const opened = await openRawSmtp(port);
    open.push(opened);
    expect((await opened.command('EHLO client.example')).code).toBe(250);
    return opened;
  }

  /** MAIL, one RCPT, DATA and the message; the reply to the final dot. */
  async function send(message: string, to = `reply+abc@${DOMAIN}`): Promise<number> {
    const smtp = await client();
    expect((await smtp.command('MAIL FROM:<shopper@example.jp>')).code).toBe(250);
    expect((await smtp.command(`RCPT TO:<${to}>`)).code).toBe(250);
    expect((await smtp.command('DATA')).code).toBe(354);
    await smtp.write(`${message}\r\n.\r\n`);
    return (await smtp.reply()).code;
  }

  async function stillAnswers(): Promise<void> {
    const smtp = await client();
    expect((await smtp.command('NOOP')).code).toBe(250);
    await smtp.quit();
  }

  it('should hand a delivered mail to ingest with its envelope and answer 250', async () => {
    const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const info = await transport.sendMail({
      envelope: { from: 'shopper@example.jp', to: [`reply+tok@${DOMAIN}`] },
      from: 'shopper@example.jp',
      to: `reply+tok@${DOMAIN}`,
      subject: 'Re: お問い合わせ',
      text: '追加の情報です。',
    });
    expect(info.accepted).toEqual([`reply+tok@${DOMAIN}`]);
    expect(calls).toHaveLength(1);
    expect(calls[0].meta).toEqual({
      transport: 'smtp',
      envelopeFrom: 'shopper@example.jp',
      envelopeTo: [`reply+tok@${DOMAIN}`],
      remoteIp: '127.0.0.1',
    });
    expect(calls[0].raw.toString('utf8')).toContain('Subject: =?UTF-8?');
  });

  it('should offer neither AUTH nor STARTTLS, and advertise the size limit', async () => {
    const smtp = await client();
    const ehlo = await smtp.command('EHLO again.example');
    expect(ehlo.text).toContain(`SIZE ${MAX_BYTES}`);
    expect(ehlo.text).not.toMatch(/AUTH|STARTTLS/);
    expect((await smtp.command('AUTH PLAIN AHVzZXIAcGFzcw==')).code).toBeGreaterThanOrEqual(500);
  });

  it('should refuse a recipient outside the inbound domain at RCPT (no relaying)', async () => {
    const smtp = await client();
    await smtp.command('MAIL FROM:<spammer@example.com>');
    const refused = await smtp.command('RCPT TO:<victim@example.org>');
    expect(refused.code).toBe(550);
    expect(refused.text).toMatch(/own domain/);
    expect((await smtp.command(`RCPT TO:<x@sub.${DOMAIN}>`)).code).toBe(550);
    expect((await smtp.command(`RCPT TO:<Shop-A@${DOMAIN.toUpperCase()}>`)).code).toBe(250);
  });

  it('should take the first recipients and refuse each one over the cap, and keep serving', async () => {
    const smtp = await client();
    await smtp.command('MAIL FROM:<bulk@example.com>');
    const codes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      codes.push((await smtp.command(`RCPT TO:<r${i}@${DOMAIN}>`)).code);
    }
    expect(codes.filter((code) => code === 250)).toHaveLength(INBOUND_SMTP_MAX_RECIPIENTS);
    expect(codes.slice(INBOUND_SMTP_MAX_RECIPIENTS).every((code) => code === 452)).toBe(true);
    expect((await smtp.command('DATA')).code).toBe(354);
    await smtp.write('Subject: many\r\n\r\nbody\r\n.\r\n');
    expect((await smtp.reply()).code).toBe(250);
    expect(calls[0].meta.envelopeTo).toHaveLength(INBOUND_SMTP_MAX_RECIPIENTS);
    await stillAnswers();
  });

  it('should refuse a declared size over the limit at MAIL FROM', async () => {
    const smtp = await client();
    const refused = await smtp.command(`MAIL FROM:<a@example.jp> SIZE=${MAX_BYTES + 1}`);
    expect(refused.code).toBe(552);
  });

  it('should answer 552 to an oversized message it was not warned of, without ingesting it', async () => {
    const smtp = await client();
    await smtp.command('MAIL FROM:<a@example.jp>');
    await smtp.command(`RCPT TO:<reply+abc@${DOMAIN}>`);
    await smtp.command('DATA');
    const line = `${'x'.repeat(998)}\r\n`;
    for (let i = 0; i < 20; i++) await smtp.write(line);
    await smtp.write('.\r\n');
    const reply = await smtp.reply();
    expect(reply.code).toBe(552);
    expect(reply.text).toContain(String(MAX_BYTES));
    expect(calls).toHaveLength(0);
    // The same connection goes on with the next message.
    expect((await smtp.command('MAIL FROM:<a@example.jp>')).code).toBe(250);
  });

  it('should answer 451 when the database is down, so the sending MTA retries', async () => {
    answer = () => Promise.reject(new InboundTemporaryError());
    const smtp = await client();
    await smtp.command('MAIL FROM:<a@example.jp>');
    await smtp.command(`RCPT TO:<reply+abc@${DOMAIN}>`);
    await smtp.command('DATA');
    await smtp.write('Subject: later\r\n\r\nbody\r\n.\r\n');
    const reply = await smtp.reply();
    expect(reply.code).toBe(451);
    expect(reply.text).toMatch(/try again later/);
  });

  it('should answer 451 and keep listening when ingest fails unexpectedly', async () => {
    answer = () => Promise.reject(new TypeError('a bug'));
    expect(await send('Subject: x\r\n\r\nbody')).toBe(451);
    await stillAnswers();
  });

  it('should answer 550 with a short reason to a permanent refusal, 451 to a rate limit', async () => {
    answer = () => Promise.resolve({ kind: 'rejected', reason: 'unknown_recipient' });
    const smtp = await client();
    await smtp.command('MAIL FROM:<a@example.jp>');
    await smtp.command(`RCPT TO:<nobody@${DOMAIN}>`);
    await smtp.command('DATA');
    await smtp.write('Subject: x\r\n\r\nbody\r\n.\r\n');
    const refused = await smtp.reply();
    expect(refused).toEqual({ code: 550, text: expect.stringContaining('No such recipient') });
    answer = () => Promise.resolve({ kind: 'rejected', reason: 'rate_limited' });
    expect(await send('Subject: y\r\n\r\nbody')).toBe(451);
  });

  it('should ingest nothing of a message whose client disconnects mid-DATA', async () => {
    const smtp = await client();
    await smtp.command('MAIL FROM:<a@example.jp>');
    await smtp.command(`RCPT TO:<reply+abc@${DOMAIN}>`);
    await smtp.command('DATA');
    await smtp.write('Subject: half\r\n\r\nthe first half of');
    smtp.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toHaveLength(0);
    await stillAnswers();
  });

  it('should survive a malformed session: binary garbage, bare LFs, NULs, overlong lines', async () => {
    const smtp = await client();
    expect((await smtp.command('\u0000\u00ff\u0001 GARBAGE')).code).toBeGreaterThanOrEqual(500);
    expect((await smtp.command('MAIL FROM:<not an address')).code).toBeGreaterThanOrEqual(500);
    expect((await smtp.command('RCPT TO:<x@y>')).code).toBe(503);
    await smtp.command('MAIL FROM:<>');
    await smtp.command(`RCPT TO:<reply+abc@${DOMAIN}>`);
    await smtp.command('DATA');
    await smtp.write(Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 10, 0x1b, 0x24, 0x42, 10]));
    await smtp.write(`${'y'.repeat(3000)}\n\r\n.\r\n`);
    expect((await smtp.reply()).code).toBe(250);
    expect(calls[0].meta.envelopeFrom).toBe('');
    // A client that floods one endless command line is cut off, the listener is not.
    const flooder = await client();
    await flooder.write('X'.repeat(200_000)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stillAnswers();
  });

  it('should tell which domains it takes', () => {
    expect(acceptsDomain(`a@${DOMAIN}`, DOMAIN)).toBe(true);
    expect(acceptsDomain(`a@${DOMAIN.toUpperCase()}`, DOMAIN)).toBe(true);
    expect(acceptsDomain(`a@evil-${DOMAIN}`, DOMAIN)).toBe(false);
    expect(acceptsDomain(`@${DOMAIN}`, DOMAIN)).toBe(false);
    expect(acceptsDomain('a@b@example.org', DOMAIN)).toBe(false);
  });
});

describe('InboundSmtpListener lifecycle', () => {
  it('should stay off without a port, and on shutdown wait for the ingest in flight', async () => {
    const off = new InboundSmtpListener(loadConfig({ NODE_ENV: 'test' }), {} as InboundMailService);
    await off.onApplicationBootstrap();
    expect(off.address()).toBeNull();

    const port = await freePort();
    let finish: () => void = () => undefined;
    let ingested = false;
    const slow = {
      ingest: () =>
        new Promise<InboundOutcome>((resolve) => {
          finish = () => {
            ingested = true;
            resolve({ kind: 'reply' });
          };
        }),
    } as unknown as InboundMailService;
    const listener = new InboundSmtpListener(
      loadConfig({ NODE_ENV: 'test', INBOUND_SMTP_PORT: String(port) }),
      slow,
    );
    await listener.onApplicationBootstrap();
    expect(listener.address()).toEqual({ host: '127.0.0.1', port });
    const smtp = await openRawSmtp(port);
    await smtp.command('EHLO c');
    await smtp.command('MAIL FROM:<a@example.jp>');
    await smtp.command('RCPT TO:<reply+x@inbound.madoguchi.test>');
    await smtp.command('DATA');
    await smtp.write('Subject: s\r\n\r\nb\r\n.\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shutdown = listener.beforeApplicationShutdown();
    setTimeout(() => finish(), 100);
    await shutdown;
    expect(ingested).toBe(true);
    smtp.destroy();
    await expect(openRawSmtp(port)).rejects.toThrow();
  });
});
