import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createTransport } from 'nodemailer';

const USAGE = `usage: npm run mail:send -- --to <address> [--to <address> …] --text "<body>"
       [--from you@example.com] [--subject "<subject>"] [--attach <file> …]
       [--in-reply-to "<message-id>"] [--host 127.0.0.1] [--port 2525]

Sends one mail into the intake's inbound SMTP listener (npm start runs it on INBOUND_SMTP_PORT,
default 2525), as an MX would deliver it. To reply to a ticket, send to the reply+… address
from the Reply-To of a mail in the desk's dev mailbox; to open a ticket, to <site-slug>@<INBOUND_MAIL_DOMAIN>.`;

/** `npm run mail:send`: a test mail into the local listener, to try replies and new tickets. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      to: { type: 'string', multiple: true },
      from: { type: 'string' },
      subject: { type: 'string' },
      text: { type: 'string' },
      attach: { type: 'string', multiple: true },
      'in-reply-to': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const to = values.to ?? [];
  const attachments = (values.attach ?? []).map((path) => ({
    filename: basename(path),
    content: readFileSync(path),
  }));
  if (to.length === 0) throw new Error(`--to is required\n${USAGE}`);
  if (values.text === undefined && attachments.length === 0) {
    throw new Error(`--text (or an --attach) is required\n${USAGE}`);
  }
  const host = values.host ?? process.env.INBOUND_SMTP_HOST ?? '127.0.0.1';
  const port = Number(values.port ?? process.env.INBOUND_SMTP_PORT ?? 2525);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(
      `no listener port: INBOUND_SMTP_PORT=0 turns the listener off; pass --port\n${USAGE}`,
    );
  }
  const transport = createTransport({ host, port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({
      from: values.from ?? 'shopper@example.jp',
      to,
      subject: values.subject ?? 'Re: お問い合わせ',
      text: values.text ?? '',
      attachments,
      inReplyTo: values['in-reply-to'],
      references: values['in-reply-to'],
    });
    console.log(`accepted by smtp://${host}:${port}: ${info.response}`);
    if (info.rejected.length) console.log(`refused recipients: ${info.rejected.join(', ')}`);
  } finally {
    transport.close();
  }
}

main().catch((error: unknown) => {
  const reply = error as { response?: string; code?: string; message?: string };
  // An SMTP refusal (550 unknown recipient, 451 database down, 552 too large) says why itself.
  console.error(reply.response ?? reply.message ?? error);
  if (reply.code === 'ECONNREFUSED' || reply.code === 'ESOCKET') {
    console.error('is the intake running (npm start) with its inbound SMTP listener on?');
  }
  process.exit(1);
});
