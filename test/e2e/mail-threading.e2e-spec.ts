import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { User } from '@madoguchi/auth';
import { runTransaction } from '@madoguchi/common';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import type { TenantScope } from '@madoguchi/tenancy';
import {
  MailBounceService,
  Message,
  ReplyAddressService,
  SentMailIdService,
  StatusLinkService,
  Ticket,
  TicketWorkService,
} from '@madoguchi/tickets';
import { plainPng } from '../support/attachment-fixtures';
import { dumpEveryTable } from '../support/database-dump';
import { createTestUser } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import {
  type ReceivedMail,
  startSmtpTestServer,
  type SmtpTestServer,
} from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { scopeOf, startTicketServices } from '../support/ticket-desk-test';

const DOMAIN = 'inbound.madoguchi.test';
const REPLY_ADDRESS = /^reply\+([0-9a-f]{40})@inbound\.madoguchi\.test$/;
const MESSAGE_ID = /^<[0-9a-f]{32}@inbound\.madoguchi\.test>$/;
const REPLY_HINT = 'このメールにそのまま返信して';
const IP = '192.0.2.61';

describe(`mail threading: reply addresses, Message-IDs, the status link (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let intake: NestFastifyApplication;
  let moduleRef: TestingModule;
  let tenant: TestTenant;
  let agent: User;
  let scope: TenantScope;
  const actor = () => ({ userId: agent.id, ip: IP });
  let inquiries = 0;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
      INBOUND_MAIL_DOMAIN: DOMAIN,
    });
    intake = await startIntakeApp(testEnv);
    // The desk's services with the outbox worker, drained by hand (no poll timer).
    moduleRef = await startTicketServices(testEnv, { OUTBOX_WORKER: 'off' });
    tenant = await createTestTenant(testEnv.dataSource, { senderName: 'さくら雑貨店 窓口' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    scope = await scopeOf(moduleRef, agent);
  });

  afterAll(async () => {
    await intake?.close();
    await moduleRef?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  /** Sends what the outbox holds and returns the mails that arrived. */
  async function sendOutbox(expected: number): Promise<ReceivedMail[]> {
    smtp.reset();
    await moduleRef.get(OutboxWorker).drainOnce();
    return [...(await smtp.waitFor(expected, 5000))];
  }

  async function inquire(): Promise<{
    ticket: Ticket;
    statusUrl: string;
    confirmation: ReceivedMail;
  }> {
    // An address of its own each time: the receipts to one address are capped per day.
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, email: `shopper-${++inquiries}@example.jp` })
      .expect(201);
    const body = response.body as { reference: string; statusUrl: string };
    const [confirmation] = await sendOutbox(1);
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: body.reference });
    return { ticket, statusUrl: body.statusUrl, confirmation };
  }

  async function agentReply(ticket: Ticket, body: string): Promise<ReceivedMail> {
    await moduleRef.get(TicketWorkService).reply(scope, ticket.reference, { body }, actor());
    const [mail] = await sendOutbox(1);
    return mail;
  }

  function header(mail: ReceivedMail, name: string): string {
    return mail.headers.get(name) ?? '';
  }

  function statusPath(url: string): string {
    return new URL(url).pathname;
  }

  it('should send the confirmation with a reply address, a Message-ID of ours, the status link and the reply text', async () => {
    const { statusUrl, confirmation } = await inquire();
    expect(header(confirmation, 'reply-to')).toMatch(REPLY_ADDRESS);
    expect(header(confirmation, 'message-id')).toMatch(MESSAGE_ID);
    // The receipt is sent by itself: other desks must not answer it.
    expect(header(confirmation, 'auto-submitted')).toBe('auto-generated');
    expect(confirmation.text).toContain(statusUrl);
    expect(confirmation.text).toContain(REPLY_HINT);
    expect(confirmation.text).not.toContain('送信専用');
    // Not a phishing relay: nothing the form was given in the subject or the first lines.
    const firstLines = confirmation.text.split('\n').slice(0, 3).join('\n');
    expect(`${confirmation.subject}\n${firstLines}`).not.toContain(VALID_INQUIRY.name);
    expect(`${confirmation.subject}\n${firstLines}`).not.toContain(VALID_INQUIRY.message);
    await request(intake.getHttpServer()).get(statusPath(statusUrl)).expect(200);
  });

  it('should thread an agent reply to the confirmation, with the same reply address and the status link', async () => {
    const { ticket, statusUrl, confirmation } = await inquire();
    const reply = await agentReply(ticket, '調査の結果をお知らせします。');
    expect(header(reply, 'reply-to')).toBe(header(confirmation, 'reply-to'));
    expect(header(reply, 'message-id')).toMatch(MESSAGE_ID);
    expect(header(reply, 'message-id')).not.toBe(header(confirmation, 'message-id'));
    expect(header(reply, 'in-reply-to')).toBe(header(confirmation, 'message-id'));
    expect(header(reply, 'references')).toContain(header(confirmation, 'message-id'));
    expect(header(reply, 'auto-submitted')).toBe('');
    expect(reply.text).toContain('調査の結果をお知らせします。');
    expect(reply.text).toContain(statusUrl);
    expect(reply.text).toContain(REPLY_HINT);
    expect(reply.text).not.toContain('送信専用');

    // The next reply answers the newest mail and keeps the whole thread in References.
    const second = await agentReply(ticket, '追加のご案内です。');
    expect(header(second, 'in-reply-to')).toBe(header(reply, 'message-id'));
    expect(header(second, 'references').split(/\s+/)).toEqual([
      header(confirmation, 'message-id'),
      header(reply, 'message-id'),
    ]);
  });

  it('should find the ticket, the reply message and its outbox job from the Message-IDs sent', async () => {
    const { ticket, confirmation } = await inquire();
    const reply = await agentReply(ticket, 'ご確認ください。');
    const sentMailIds = moduleRef.get(SentMailIdService);
    const manager = testEnv.dataSource.manager;
    await expect(
      sentMailIds.findTicket(manager, [header(confirmation, 'message-id')]),
    ).resolves.toMatchObject({ ticketId: ticket.id, messageId: null, audience: 'requester' });
    const replyMessage = await testEnv.dataSource
      .getRepository(Message)
      .findOneByOrFail({ ticketId: ticket.id, kind: 'reply' });
    const found = await sentMailIds.findTicket(manager, [
      // As a mail client quotes it: In-Reply-To, then References, the id's domain in capitals.
      header(reply, 'message-id').toUpperCase(),
      header(reply, 'references'),
    ]);
    expect(found).toMatchObject({ ticketId: ticket.id, messageId: replyMessage.id });
    const job = await testEnv.dataSource
      .getRepository(OutboxJob)
      .findOneByOrFail({ id: found?.outboxJobId as number });
    expect(job.status).toBe('sent');
    await expect(
      sentMailIds.findTicket(manager, [`<0123456789abcdef0123456789abcdef@${DOMAIN}>`]),
    ).resolves.toBeNull();
  });

  it('should resolve the reply address to the ticket, and keep its token, the status token and the Message-IDs out of a dump', async () => {
    const { ticket, statusUrl, confirmation } = await inquire();
    const replyTo = header(confirmation, 'reply-to');
    const replyAddresses = moduleRef.get(ReplyAddressService);
    const manager = testEnv.dataSource.manager;
    const expected = { ticketId: ticket.id, merchantId: tenant.merchant.id, audience: 'requester' };
    await expect(replyAddresses.resolve(manager, replyTo)).resolves.toEqual(expected);
    await expect(replyAddresses.resolve(manager, replyTo.toUpperCase())).resolves.toEqual(expected);
    await expect(replyAddresses.resolve(manager, replyTo.split('@')[0])).resolves.toEqual(expected);
    await expect(
      replyAddresses.resolve(manager, `reply+${'0'.repeat(40)}@${DOMAIN}`),
    ).resolves.toBeNull();
    await expect(replyAddresses.resolve(manager, `shop@${DOMAIN}`)).resolves.toBeNull();

    const replyToken = REPLY_ADDRESS.exec(replyTo)?.[1] as string;
    const statusToken = statusPath(statusUrl).split('/').pop() as string;
    const messageIdLocal = header(confirmation, 'message-id').slice(1).split('@')[0];
    const dump = await dumpEveryTable(testEnv.dataSource);
    for (const secret of [replyToken, statusToken, messageIdLocal]) {
      expect(dump.filter((value) => value.text.includes(secret))).toEqual([]);
    }
  });

  it('should mark a bounced reply failed: its outbox job dead with the reason, the message failed, a system message for the agent', async () => {
    const { ticket } = await inquire();
    const reply = await agentReply(ticket, 'お届けできるでしょうか。');
    const bounced = await runTransaction(moduleRef.get(DataSource), (manager) =>
      moduleRef
        .get(MailBounceService)
        .markBounced(
          manager,
          header(reply, 'message-id'),
          `550 5.1.1 <${VALID_INQUIRY.email}>: user unknown`,
        ),
    );
    expect(bounced).toMatchObject({ ticketId: ticket.id });
    const job = await testEnv.dataSource
      .getRepository(OutboxJob)
      .findOneByOrFail({ id: bounced?.outboxJobId as number });
    expect(job.status).toBe('dead');
    expect(job.lastError).toContain('user unknown');
    expect(job.lastError).not.toContain(VALID_INQUIRY.email);
    const detail = await moduleRef.get(TicketWorkService).detail(scope, ticket.reference, actor());
    const replyView = detail.messages.find((message) => message.id === bounced?.messageId);
    expect(replyView?.deliveryState).toBe('failed');
    const system = detail.messages.find((message) => message.kind === 'system');
    expect(system?.body).toContain('届きませんでした');
    // Not one of ours: nothing to mark.
    await expect(
      runTransaction(moduleRef.get(DataSource), (manager) =>
        moduleRef
          .get(MailBounceService)
          .markBounced(manager, `<unknown@${DOMAIN}>`, 'user unknown'),
      ),
    ).resolves.toBeNull();
  });

  it('should reissue the status link: the old one stops working, the next mail carries the new one', async () => {
    const { ticket, statusUrl } = await inquire();
    const newUrl = await runTransaction(moduleRef.get(DataSource), (manager) =>
      moduleRef.get(StatusLinkService).reissue(manager, ticket.id),
    );
    expect(newUrl).not.toBe(statusUrl);
    await request(intake.getHttpServer()).get(statusPath(statusUrl)).expect(404);
    await request(intake.getHttpServer()).get(statusPath(newUrl)).expect(200);
    const reply = await agentReply(ticket, '新しいリンクでご確認ください。');
    expect(reply.text).toContain(newUrl);
    expect(reply.text).not.toContain(statusUrl);
  });

  it('should point to the first mail for a ticket born before the status token was kept', async () => {
    const { ticket, statusUrl } = await inquire();
    await testEnv.dataSource.getRepository(Ticket).update(ticket.id, { statusToken: null });
    const reply = await agentReply(ticket, '以前からのお問い合わせへのご回答です。');
    expect(reply.text).not.toContain(statusUrl);
    expect(reply.text).toContain('受付時にお送りしたメール');
    expect(header(reply, 'reply-to')).toMatch(REPLY_ADDRESS);
  });

  it('should give the merchant question its own reply address, for the merchant audience', async () => {
    const { ticket, confirmation } = await inquire();
    await moduleRef
      .get(TicketWorkService)
      .askMerchant(scope, ticket.reference, { body: '注文の発送状況を教えてください。' }, actor());
    const [notice] = await sendOutbox(1);
    expect(notice.envelopeTo).toEqual(tenant.merchant.notificationEmails);
    const replyTo = header(notice, 'reply-to');
    expect(replyTo).toMatch(REPLY_ADDRESS);
    expect(replyTo).not.toBe(header(confirmation, 'reply-to'));
    expect(header(notice, 'in-reply-to')).toBe('');
    expect(notice.text).toContain('通知先メールアドレスから返信');
    await expect(
      moduleRef.get(ReplyAddressService).resolve(testEnv.dataSource.manager, replyTo),
    ).resolves.toEqual({
      ticketId: ticket.id,
      merchantId: tenant.merchant.id,
      audience: 'merchant',
    });
  });

  it('should send an agent reply’s files as mail attachments', async () => {
    const { ticket } = await inquire();
    const png = plainPng();
    await moduleRef.get(TicketWorkService).reply(
      scope,
      ticket.reference,
      {
        body: '通知書を添付します。',
        attachments: [{ filename: 'notice.png', contentType: 'image/png', bytes: png }],
      },
      actor(),
    );
    const [mail] = await sendOutbox(1);
    expect(mail.raw).toMatch(/Content-Disposition: attachment; filename=notice\.png/i);
    expect(mail.raw.replace(/\r?\n/g, '')).toContain(png.toString('base64'));
  });
});
