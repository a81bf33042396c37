import { randomBytes } from 'node:crypto';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

/**
 * Raw mails for the inbound tests, built the way a mail client builds them: nodemailer's
 * MailComposer for ordinary mail, and by hand where a client does what nodemailer does not
 * (ISO-2022-JP and Shift_JIS, bounces, broken MIME).
 */
export function composeMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({
    messageId: `<${randomBytes(8).toString('hex')}@client.example.jp>`,
    date: new Date('2031-04-02T01:00:00Z'),
    ...options,
  })
    .compile()
    .build();
}

/** A unique shopper address per test, so the per-sender limit of one test never meets another's. */
export function shopperAddress(label = 'shopper'): string {
  return `${label}.${randomBytes(4).toString('hex')}@example.jp`;
}

export type JapaneseCharset = 'ISO-2022-JP' | 'Shift_JIS';

/** Bytes of `text` in a Japanese legacy charset (ISO-2022-JP as carrier mail sends it). */
export function encodeJapanese(text: string, charset: JapaneseCharset): Buffer {
  if (charset === 'Shift_JIS') return iconv.encode(text, 'Shift_JIS');
  return Buffer.from(
    Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }) as number[],
  );
}

/** A text mail wholly in `charset`: subject and From name as encoded words, body 7bit/8bit. */
export function legacyJapaneseMail(input: {
  charset: JapaneseCharset;
  from: { name: string; address: string };
  to: string;
  subject: string;
  body: string;
  headers?: Record<string, string>;
}): Buffer {
  const word = (text: string) =>
    `=?${input.charset}?B?${encodeJapanese(text, input.charset).toString('base64')}?=`;
  const head = [
    `From: ${word(input.from.name)} <${input.from.address}>`,
    `To: ${input.to}`,
    `Subject: ${word(input.subject)}`,
    `Message-ID: <${randomBytes(8).toString('hex')}@carrier.example.ne.jp>`,
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${input.charset}`,
    `Content-Transfer-Encoding: ${input.charset === 'ISO-2022-JP' ? '7bit' : '8bit'}`,
    ...Object.entries(input.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return Buffer.concat([
    Buffer.from(`${head}\r\n\r\n`, 'latin1'),
    encodeJapanese(input.body.replace(/\n/g, '\r\n'), input.charset),
  ]);
}

/** A delivery status notification (RFC 3464) about the mail with `originalMessageId`, as Postfix sends one. */
export function deliveryStatusNotification(input: {
  to: string;
  originalMessageId: string;
  failedRecipient: string;
}): Buffer {
  const boundary = `dsn-${randomBytes(6).toString('hex')}`;
  return Buffer.from(
    [
      'From: MAILER-DAEMON@mx.example.jp (Mail Delivery System)',
      `To: ${input.to}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomBytes(8).toString('hex')}@mx.example.jp>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.example.jp.',
      "I'm sorry to have to inform you that your message could not be delivered.",
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.jp',
      '',
      `Final-Recipient: rfc822; ${input.failedRecipient}`,
      'Action: failed',
      'Status: 5.1.1',
      `Diagnostic-Code: smtp; 550 5.1.1 <${input.failedRecipient}>: Recipient address rejected`,
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${input.originalMessageId}`,
      `To: ${input.failedRecipient}`,
      'Subject: お問い合わせへの回答',
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

/** A mail that wraps itself `depth` times as message/rfc822 (a forward of a forward of …). */
export function deeplyNestedMail(input: { from: string; to: string; depth: number }): Buffer {
  let inner = Buffer.from(
    `From: deep@example.jp\r\nTo: x@example.jp\r\nSubject: innermost\r\n\r\nthe innermost text\r\n`,
  );
  for (let level = 0; level < input.depth; level++) {
    const boundary = `nest-${level}`;
    const outer = level === input.depth - 1;
    inner = Buffer.concat([
      Buffer.from(
        [
          `From: ${outer ? input.from : `level${level}@example.jp`}`,
          `To: ${outer ? input.to : 'x@example.jp'}`,
          `Subject: level ${level}`,
          ...(outer ? [`Message-ID: <${randomBytes(8).toString('hex')}@client.example.jp>`] : []),
          'MIME-Version: 1.0',
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          `転送の${level}段目です。`,
          `--${boundary}`,
          'Content-Type: message/rfc822',
          '',
          '',
        ].join('\r\n'),
        'utf8',
      ),
      inner,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
  }
  return inner;
}
