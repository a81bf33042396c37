import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTransport, type Transporter } from 'nodemailer';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { InboundMail } from '@madoguchi/inbound-mail';
import { OutboxWorker } from '@madoguchi/mail';
import { Message, ReplyAddressService, Ticket } from '@madoguchi/tickets';
import { InboundSmtpListener } from '../../apps/intake/src/inbound-mail/inbound-smtp-listener';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { freePort } from '../support/free-port';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import {
  canRunPrivateMariadb,
  type PrivateMariadb,
  startPrivateMariadb,
} from '../support/private-mariadb';
import { openRawSmtp } from '../support/raw-smtp-client';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { waitUntil } from '../support/wait-until';

const DOMAIN = 'inbound.madoguchi.test';
const MAX_BYTES = 256 * 1024;

interface TicketBody {
  reference: string;
  channel?: string;
  messages: { kind: string; body: string }[];
}

/**
 * Real delivery into the intake's SMTP listener (nodemailer → smtp-server on a free port →
 * InboundMailService → the database), read back through the desk's API: the transport end of
 * docs/email.md. The listener's protocol details (each reply code) are in its unit spec.
 */
describe(`inbound mail over SMTP into the intake's listener (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let agent: LoggedIn;
  let port: number;
  let mailer: Transporter;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    port = await freePort();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
      INBOUND_MAIL_DOMAIN: DOMAIN,
      INBOUND_MAIL_MAX_BYTES: String(MAX_BYTES),
    });
    intake = await startIntakeApp(testEnv, { INBOUND_SMTP_PORT: String(port) });
    desk = await startDeskApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    const user = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    agent = await loginAs(desk, user.email);
    mailer = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });

  afterAll(async () => {
    mailer?.close();
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  async function ticketView(reference: string): Promise<TicketBody> {
    const response = await request(desk.getHttpServer())
      .get(`/api/v1/tickets/${reference}`)
      .set('cookie', agent.cookie)
      .expect(200);
    return response.body as TicketBody;
  }

  /** A web inquiry, and the Reply-To of the confirmation mail the shopper got. */
  async function inquiryWithReplyAddress(): Promise<{
    reference: string;
    email: string;
    replyTo: string;
  }> {
    const email = `shopper-${Date.now()}@example.jp`;
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, email })
      .expect(201);
    const reference = (response.body as { reference: string }).reference;
    await desk.get(OutboxWorker).drainOnce();
    // The drain also sends other pending mail (the confirmations of tickets opened by mail).
    await waitUntil(() => smtp.messages.some((mail) => mail.envelopeTo.includes(email)), 5000);
    const confirmation = smtp.messages.find((mail) => mail.envelopeTo.includes(email))!;
    const replyTo = /reply\+[^@\s<>"]+@[^\s<>"]+/.exec(confirmation.headers.get('reply-to') ?? '');
    expect(replyTo?.[0]).toMatch(new RegExp(`@${DOMAIN}$`));
    return { reference, email, replyTo: (replyTo as RegExpExecArray)[0] };
  }

  async function storedCounts(): Promise<{ messages: number; inbound: number; tickets: number }> {
    return {
      messages: await testEnv.dataSource.getRepository(Message).count(),
      inbound: await testEnv.dataSource.getRepository(InboundMail).count(),
      tickets: await testEnv.dataSource.getRepository(Ticket).count(),
    };
  }

  it('should log where it listens and stop with the app', () => {
    expect(intake.get(InboundSmtpListener).address()).toEqual({ host: '127.0.0.1', port });
  });

  it("should thread a reply to the confirmation mail's Reply-To into the ticket as the customer's message", async () => {
    const { reference, email, replyTo } = await inquiryWithReplyAddress();
    const info = await mailer.sendMail({
      from: email,
      to: replyTo,
      subject: `Re: [${reference}] お問い合わせを受け付けました`,
      text: '注文番号を追記します。ORD-REPLY-4711 です。',
    });
    expect(info.accepted).toEqual([replyTo]);
    // Accepted (250) means stored: it is there at once, well within the 10 s the issue allows.
    await waitUntil(async () => {
      const view = await ticketView(reference);
      return view.messages.some((m) => m.kind === 'customer' && m.body.includes('ORD-REPLY-4711'));
    }, 10_000);
  });

  it("should open an email ticket for a mail to the site's address", async () => {
    const before = await storedCounts();
    const info = await mailer.sendMail({
      from: '"佐藤 次郎" <jiro.sato@example.jp>',
      to: `${tenant.site.slug}@${DOMAIN}`,
      subject: '身に覚えのない請求について',
      text: 'カード明細に身に覚えのない請求があります。NEW-TICKET-8823',
    });
    expect(info.accepted).toHaveLength(1);
    const after = await storedCounts();
    expect(after.tickets).toBe(before.tickets + 1);
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneOrFail({ where: { siteId: tenant.site.id }, order: { id: 'DESC' } });
    expect(ticket.channel).toBe('email');
    const view = await ticketView(ticket.reference);
    expect(view.messages.map((m) => m.body).join('\n')).toContain('NEW-TICKET-8823');
  });

  it('should refuse an oversized mail with 552 and store nothing', async () => {
    const before = await storedCounts();
    await expect(
      mailer.sendMail({
        from: 'big@example.jp',
        to: `${tenant.site.slug}@${DOMAIN}`,
        subject: 'big',
        text: 'x'.repeat(MAX_BYTES + 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    // And when the client did not declare the size: counted while it arrives, refused at the end.
    const raw = await openRawSmtp(port);
    await raw.command('EHLO big.example');
    await raw.command('MAIL FROM:<big@example.jp>');
    await raw.command(`RCPT TO:<${tenant.site.slug}@${DOMAIN}>`);
    await raw.command('DATA');
    const line = `${'y'.repeat(998)}\r\n`;
    for (let sent = 0; sent <= MAX_BYTES; sent += line.length) await raw.write(line);
    await raw.write('.\r\n');
    expect((await raw.reply()).code).toBe(552);
    await raw.quit();
    expect(await storedCounts()).toEqual(before);
  });

  it('should refuse each recipient over the cap of a 1000-recipient mail and keep listening', async () => {
    const raw = await openRawSmtp(port);
    await raw.command('EHLO bulk.example');
    await raw.command('MAIL FROM:<bulk@example.com>');
    const codes: number[] = [];
    for (let i = 0; i < 1000; i++)
      codes.push((await raw.command(`RCPT TO:<r${i}@${DOMAIN}>`)).code);
    expect(codes.filter((code) => code === 452).length).toBeGreaterThanOrEqual(980);
    await raw.command('RSET');
    await raw.quit();
    const info = await mailer.sendMail({
      from: 'after@example.jp',
      to: `${tenant.site.slug}@${DOMAIN}`,
      subject: 'still here',
      text: 'the listener answers after the flood',
    });
    expect(info.accepted).toHaveLength(1);
  });

  it('should refuse a recipient at a foreign domain (it relays nothing)', async () => {
    await expect(
      mailer.sendMail({ from: 'spam@example.com', to: 'victim@example.org', text: 'relay me' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('should answer malformed data without crashing, then serve the next mail', async () => {
    const raw = await openRawSmtp(port);
    await raw.command('EHLO junk.example');
    await raw.command('MAIL FROM:<junk@example.jp>');
    await raw.command(`RCPT TO:<${tenant.site.slug}@${DOMAIN}>`);
    await raw.command('DATA');
    await raw.write(
      Buffer.concat([
        Buffer.from(
          'From: junk@example.jp\r\nSubject: =?ISO-2022-JP?B?broken\r\n' +
            'Content-Type: multipart/mixed; boundary="never-closed"\r\n',
        ),
        Buffer.from([0, 0xff, 0xfe, 0x1b, 0x24, 0x42, 10, 10]),
        Buffer.from(
          '--never-closed\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@@not base64\r\n',
        ),
        Buffer.from('.\r\n'),
      ]),
    );
    // Stored harmlessly or refused for good; never "try later" (that would be an unexpected error).
    expect([250, 550]).toContain((await raw.reply()).code);
    await raw.quit();
    await request(intake.getHttpServer()).get('/healthz').expect(200);
    const info = await mailer.sendMail({
      from: 'next@example.jp',
      to: `${tenant.site.slug}@${DOMAIN}`,
      subject: 'next',
      text: 'after the junk',
    });
    expect(info.accepted).toHaveLength(1);
  });

  it('should answer 451 while the database is down, store nothing, and take the retry once it is back', async () => {
    const { reference, email, replyTo } = await inquiryWithReplyAddress();
    const dataSource = intake.get(DataSource);
    const mail = {
      from: email,
      to: replyTo,
      subject: `Re: [${reference}]`,
      text: 'データベース停止中に送った返信です。RETRY-5150',
      messageId: `<retry-${Date.now()}@example.jp>`,
    };
    const before = await storedCounts();
    await dataSource.destroy();
    try {
      await expect(mailer.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await dataSource.initialize();
    }
    expect(await storedCounts()).toEqual(before);
    // The sending MTA retries the same message (same Message-ID): it arrives, once.
    await mailer.sendMail(mail);
    await mailer.sendMail(mail);
    const view = await ticketView(reference);
    expect(view.messages.filter((m) => m.body.includes('RETRY-5150'))).toHaveLength(1);
  });
});

/**
 * The database server itself dies (a private mariadbd the test kills and restarts, as
 * fault-database-restart does): the listener answers 451 while it is gone, and the MTA's retry
 * is stored once it is back. MariaDB only; on SQLite the test above closes the data source.
 */
const describeOnMariadb = TEST_DB === 'mysql' && canRunPrivateMariadb() ? describe : describe.skip;
const crashTitle =
  TEST_DB !== 'mysql'
    ? 'inbound SMTP while MariaDB crashes: skipped on SQLite (npm run test:mysql runs it)'
    : canRunPrivateMariadb()
      ? 'inbound SMTP while MariaDB crashes and restarts'
      : 'inbound SMTP while MariaDB crashes: skipped, no /usr/sbin/mariadbd for a private server';

describeOnMariadb(crashTitle, () => {
  let mariadb: PrivateMariadb;
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let mailer: Transporter;
  let tenant: TestTenant;

  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    testEnv = await createTestEnvironment(
      { INTAKE_RATE_LIMIT_PER_MINUTE: '0', INBOUND_MAIL_DOMAIN: DOMAIN },
      { mysqlServerUrl: mariadb.url },
    );
    tenant = await createTestTenant(testEnv.dataSource);
    const port = await freePort();
    intake = await startIntakeApp(testEnv, { INBOUND_SMTP_PORT: String(port) });
    mailer = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  }, 120_000);

  afterAll(async () => {
    mailer?.close();
    await intake?.close().catch(() => undefined);
    await testEnv?.cleanup().catch(() => undefined);
    await mariadb?.destroy();
  });

  it('should answer 451 while the server is down and store the retry once, after it is back', async () => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: (response.body as { reference: string }).reference });
    const replyTo = await intake
      .get(ReplyAddressService)
      .addressFor(intake.get(DataSource).manager, ticket, 'requester');
    const mail = {
      from: VALID_INQUIRY.email,
      to: replyTo,
      subject: `Re: [${ticket.reference}]`,
      text: 'サーバー停止中の返信 CRASH-6626',
      messageId: `<crash-${Date.now()}@example.jp>`,
    };
    const messagesBefore = await testEnv.dataSource.getRepository(Message).countBy({
      ticketId: ticket.id,
    });

    await mariadb.stop('SIGKILL');
    try {
      await expect(mailer.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await mariadb.start();
    }
    await expect(mailer.sendMail(mail)).resolves.toMatchObject({ accepted: [replyTo] });
    await mailer.sendMail(mail);
    const messagesAfter = await testEnv.dataSource.getRepository(Message).countBy({
      ticketId: ticket.id,
    });
    expect(messagesAfter).toBe(messagesBefore + 1);
    await request(intake.getHttpServer()).get('/healthz').expect(200);
  });
});
