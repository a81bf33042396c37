import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { runTransaction } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  InboundMail,
  InboundMailService,
  type InboundMeta,
  type InboundOutcome,
  InboundTemporaryError,
} from '@madoguchi/inbound-mail';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
import { Site } from '@madoguchi/tenancy';
import {
  Attachment,
  InquiryService,
  Message,
  ReplyAddressService,
  SentMailIdService,
  Ticket,
  type TicketStatus,
} from '@madoguchi/tickets';
import { plainPng } from '../support/attachment-fixtures';
import {
  composeMail,
  deeplyNestedMail,
  deliveryStatusNotification,
  legacyJapaneseMail,
  shopperAddress,
} from '../support/inbound-mail-fixtures';
import { dumpDatabase, startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const DOMAIN = 'inbound.madoguchi.test';
const MAX_BYTES = 512 * 1024;
const PER_SENDER_PER_HOUR = 5;

/**
 * InboundMailService.ingest, the door every transport uses (docs/email.md "Inbound mail"),
 * called on the real intake app's services over a real database: threading by reply address,
 * In-Reply-To and subject (with the sender check), new tickets by a site's address, automatic
 * mail and bounces, idempotency, the per-sender limit, and the bad-input list of issue 14.
 * Mails are built as clients build them (nodemailer's MailComposer; by hand for carrier charsets
 * and bounces). The SMTP and IMAP transports have their own files.
 */
describe(`inbound mail: ingest (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let inbound: InboundMailService;
  let dataSource: DataSource;
  let cipher: FieldCipher;
  let tenant: TestTenant;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INBOUND_MAIL_DOMAIN: DOMAIN,
      INBOUND_MAIL_MAX_BYTES: String(MAX_BYTES),
      INBOUND_MAIL_PER_SENDER_PER_HOUR: String(PER_SENDER_PER_HOUR),
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
    });
    intake = await startIntakeApp(testEnv);
    inbound = intake.get(InboundMailService);
    dataSource = testEnv.dataSource;
    cipher = intake.get(FieldCipher);
    tenant = await createTestTenant(dataSource);
  });

  afterAll(async () => {
    await intake?.close();
    await testEnv?.cleanup();
  });

  const smtpMeta = (envelopeTo: string[], envelopeFrom?: string): InboundMeta => ({
    transport: 'smtp',
    envelopeTo,
    envelopeFrom,
    remoteIp: '127.0.0.1',
  });

  /** A web inquiry (the form's own service) by `email`, and its ticket. */
  async function webTicket(email = shopperAddress()): Promise<Ticket> {
    const submitted = await intake
      .get(InquiryService)
      .submit(
        { site: tenant.site, merchant: tenant.merchant },
        { ...VALID_INQUIRY, email },
        { ip: null },
      );
    return dataSource.getRepository(Ticket).findOneByOrFail({ reference: submitted.reference });
  }

  function replyAddressOf(ticket: Ticket, audience: 'requester' | 'merchant'): Promise<string> {
    return runTransaction(intake.get(DataSource), (manager) =>
      intake.get(ReplyAddressService).addressFor(manager, ticket, audience),
    );
  }

  async function setStatus(ticket: Ticket, status: TicketStatus): Promise<void> {
    await dataSource
      .createQueryBuilder()
      .update(Ticket)
      .set({ status, version: () => 'version + 1' })
      .where('id = :id', { id: ticket.id })
      .execute();
  }

  function reload(ticket: Ticket): Promise<Ticket> {
    return dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
  }

  async function messagesOf(ticket: Ticket): Promise<{ kind: string; text: string; id: number }[]> {
    const messages = await dataSource
      .getRepository(Message)
      .find({ where: { ticketId: ticket.id }, order: { id: 'ASC' } });
    return messages.map((message) => ({
      id: message.id,
      kind: message.kind,
      text: message.body === null ? '' : cipher.decrypt(message.body),
    }));
  }

  async function storedCounts(): Promise<Record<string, number>> {
    return {
      tickets: await dataSource.getRepository(Ticket).count(),
      messages: await dataSource.getRepository(Message).count(),
      attachments: await dataSource.getRepository(Attachment).count(),
      outbox: await dataSource.getRepository(OutboxJob).count(),
    };
  }

  function setAsideRows(ticket: Ticket): Promise<AuditEvent[]> {
    return dataSource.getRepository(AuditEvent).find({
      where: { action: AUDIT_ACTIONS.ticketMailSetAside, targetId: ticket.reference },
      order: { id: 'ASC' },
    });
  }

  describe('threading a reply into its ticket', () => {
    it("should add a reply to the ticket's reply address as the customer's message, reopening it, quote stripped", async () => {
      const ticket = await webTicket();
      await setStatus(ticket, 'pending_customer');
      const to = await replyAddressOf(ticket, 'requester');
      const raw = await composeMail({
        from: `山田 花子 <${shopperAddress()}>`, // another address: the reply address is the secret
        to,
        subject: 'Re: お問い合わせを受け付けました',
        text: [
          '注文番号を追記します。REPLY-ADDRESS-4711',
          '',
          `2031年4月2日(水) 10:00 テストショップ 窓口 <${to}>:`,
          '> お問い合わせを受け付けました。',
        ].join('\n'),
      });
      const outcome = await inbound.ingest(raw, smtpMeta([to]));
      expect(outcome).toEqual({ kind: 'reply', ticketId: ticket.id, reference: ticket.reference });
      const messages = await messagesOf(ticket);
      expect(messages.at(-1)).toMatchObject({
        kind: 'customer',
        text: '注文番号を追記します。REPLY-ADDRESS-4711',
      });
      // Reopened exactly as a status-page reply does, and audited as the mail channel's.
      expect((await reload(ticket)).status).toBe('open');
      const audit = await dataSource.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.ticketCustomerReplied,
        targetId: ticket.reference,
      });
      expect(audit.actorType).toBe('system');
      expect(JSON.parse(audit.detail as string)).toMatchObject({
        via: 'mail',
        transport: 'smtp',
        reopenedFrom: 'pending_customer',
      });
      // Stored encrypted: no plaintext of it in a dump.
      expect(await dumpDatabase(testEnv)).not.toContain('REPLY-ADDRESS-4711');
    });

    it('should thread a reply by In-Reply-To when it was sent to another address', async () => {
      const ticket = await webTicket();
      const sentId = `<inreplyto-${ticket.id}@${DOMAIN}>`;
      await runTransaction(intake.get(DataSource), (manager) =>
        intake.get(SentMailIdService).record(manager, {
          messageIdHeader: sentId,
          ticketId: ticket.id,
          audience: 'requester',
        }),
      );
      const raw = await composeMail({
        from: shopperAddress(),
        to: `noreply@${DOMAIN}`,
        subject: 'Re: ご回答',
        inReplyTo: sentId,
        references: [`<older@${DOMAIN}>`, sentId],
        text: 'IN-REPLY-TO-5521 ありがとうございます。',
      });
      const outcome = await inbound.ingest(raw, smtpMeta([`noreply@${DOMAIN}`]));
      expect(outcome).toMatchObject({ kind: 'reply', ticketId: ticket.id });
      expect((await messagesOf(ticket)).at(-1)?.text).toBe(
        'IN-REPLY-TO-5521 ありがとうございます。',
      );
    });

    it("should thread by the reference in the subject only from the requester's own address", async () => {
      const email = shopperAddress('requester');
      const ticket = await webTicket(email);
      const before = (await messagesOf(ticket)).length;
      const mail = (from: string) =>
        composeMail({
          from,
          to: `noreply@${DOMAIN}`,
          subject: `Re: 【テストショップ】お問い合わせを受け付けました（受付番号 ${ticket.reference}）`,
          text: `SUBJECT-MATCH from ${from}`,
        });

      // Another sender naming the ticket learns nothing: the same answer as a reference that does not exist.
      const stranger = await inbound.ingest(
        await mail(shopperAddress('stranger')),
        smtpMeta([`noreply@${DOMAIN}`]),
      );
      const unknown = await inbound.ingest(
        await composeMail({
          from: shopperAddress('stranger'),
          to: `noreply@${DOMAIN}`,
          subject: 'Re: 受付番号 ZZZZ-ZZZZ',
          text: 'nothing',
        }),
        smtpMeta([`noreply@${DOMAIN}`]),
      );
      expect(stranger).toEqual(unknown);
      expect(stranger.kind).toBe('unmatched');
      expect(await messagesOf(ticket)).toHaveLength(before);

      // The requester (any case of the address) is threaded.
      const own = await inbound.ingest(
        await mail(email.toUpperCase()),
        smtpMeta([`noreply@${DOMAIN}`]),
      );
      expect(own).toMatchObject({ kind: 'reply', ticketId: ticket.id });
      expect((await messagesOf(ticket)).at(-1)?.text).toContain('SUBJECT-MATCH');
    });

    it('should refuse a reply to a closed ticket and write nothing into it', async () => {
      const ticket = await webTicket();
      await setStatus(ticket, 'closed');
      const to = await replyAddressOf(ticket, 'requester');
      const before = await messagesOf(ticket);
      const outcome = await inbound.ingest(
        await composeMail({ from: shopperAddress(), to, subject: 'Re', text: 'too late' }),
        smtpMeta([to]),
      );
      expect(outcome).toMatchObject({
        kind: 'rejected',
        reason: 'ticket_closed',
        ticketId: ticket.id,
      });
      expect(await messagesOf(ticket)).toEqual(before);
      expect((await setAsideRows(ticket)).map((row) => JSON.parse(row.detail as string))).toEqual([
        { via: 'mail', transport: 'smtp', outcome: 'rejected', reason: 'ticket_closed' },
      ]);
    });

    it('should answer a subject match on a closed ticket as no match, so a forged From confirms nothing', async () => {
      const email = shopperAddress('closed-subject');
      const ticket = await webTicket(email);
      await setStatus(ticket, 'closed');
      const before = await messagesOf(ticket);
      const outcome = await inbound.ingest(
        await composeMail({
          from: email,
          to: `noreply@${DOMAIN}`,
          subject: `Re: 受付番号 ${ticket.reference}`,
          text: 'forged or late',
        }),
        smtpMeta([`noreply@${DOMAIN}`]),
      );
      expect(outcome).toEqual({ kind: 'unmatched', reason: 'no_ticket' });
      expect(await messagesOf(ticket)).toEqual(before);
      // The ticket's trail still says a mail was set aside.
      expect((await setAsideRows(ticket)).map((row) => JSON.parse(row.detail as string))).toEqual([
        { via: 'mail', transport: 'smtp', outcome: 'rejected', reason: 'ticket_closed' },
      ]);
    });

    it("should take a merchant's answer only from one of its notification addresses", async () => {
      const ticket = await webTicket();
      await setStatus(ticket, 'pending_merchant');
      const to = await replyAddressOf(ticket, 'merchant');
      const answer = (from: string) =>
        composeMail({
          from,
          to,
          subject: 'Re: 確認のお願い',
          text: `MERCHANT-ANSWER from ${from}`,
        });

      const impostor = await inbound.ingest(
        await answer(shopperAddress('impostor')),
        smtpMeta([to]),
      );
      expect(impostor).toMatchObject({ kind: 'rejected', reason: 'not_merchant_address' });
      expect((await reload(ticket)).status).toBe('pending_merchant');

      const notifyAddress = tenant.merchant.notificationEmails[0] as string;
      const outcome = await inbound.ingest(
        await answer(notifyAddress.toUpperCase()),
        smtpMeta([to]),
      );
      expect(outcome).toMatchObject({ kind: 'merchant_answer', ticketId: ticket.id });
      expect((await messagesOf(ticket)).at(-1)).toMatchObject({
        kind: 'merchant_answer',
        text: `MERCHANT-ANSWER from ${notifyAddress.toUpperCase()}`,
      });
      expect((await reload(ticket)).status).toBe('open');
    });
  });

  describe('Japanese mail clients and carriers', () => {
    it.each(['ISO-2022-JP', 'Shift_JIS'] as const)(
      'should decode a %s subject, name and body',
      async (charset) => {
        const from = shopperAddress('carrier');
        const outcome = await inbound.ingest(
          legacyJapaneseMail({
            charset,
            from: { name: '鈴木 一郎', address: from },
            to: `${tenant.site.slug}@${DOMAIN}`,
            subject: '注文のキャンセルについて',
            body: `お世話になっております。\n①の注文を取り消したいです（${charset}）。\n髙橋様にもよろしくお伝えください。`,
          }),
          smtpMeta([`${tenant.site.slug}@${DOMAIN}`]),
        );
        expect(outcome.kind).toBe('new_ticket');
        const ticket = await dataSource
          .getRepository(Ticket)
          .findOneByOrFail({ id: outcome.ticketId });
        expect(cipher.decrypt(ticket.requesterName as string)).toBe('鈴木 一郎');
        expect((await messagesOf(ticket))[0]?.text).toBe(
          `件名：注文のキャンセルについて\n\nお世話になっております。\n①の注文を取り消したいです（${charset}）。\n髙橋様にもよろしくお伝えください。`,
        );
      },
    );
  });

  describe("new mail to a site's address", () => {
    it('should open an email ticket with the same confirmation mail as the form', async () => {
      const from = shopperAddress('newmail');
      const before = await storedCounts();
      const outcome = await inbound.ingest(
        await composeMail({
          from: `"佐藤 次郎" <${from}>`,
          to: `${tenant.site.slug}@${DOMAIN}`,
          subject: '身に覚えのない請求',
          text: 'カード明細に身に覚えのない請求があります。NEW-TICKET-8823',
        }),
        smtpMeta([`${tenant.site.slug}@${DOMAIN}`]),
      );
      expect(outcome).toMatchObject({ kind: 'new_ticket', reference: expect.any(String) });
      const ticket = await dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: outcome.ticketId });
      expect(ticket).toMatchObject({
        channel: 'email',
        category: 'other',
        status: 'new',
        siteId: tenant.site.id,
        merchantId: tenant.merchant.id,
      });
      expect(cipher.decrypt(ticket.requesterEmail as string)).toBe(from);
      expect((await messagesOf(ticket))[0]).toMatchObject({
        kind: 'customer',
        text: '件名：身に覚えのない請求\n\nカード明細に身に覚えのない請求があります。NEW-TICKET-8823',
      });
      // The form's receipt, in the outbox for the sender, tied to the ticket.
      const jobs = await dataSource.getRepository(OutboxJob).findBy({ ticketId: ticket.id });
      expect(jobs).toHaveLength(1);
      expect(cipher.decrypt(jobs[0]?.payload as string)).toContain(ticket.reference);
      expect(await storedCounts()).toMatchObject({
        tickets: before.tickets + 1,
        outbox: before.outbox + 1,
      });
      const created = await dataSource.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.ticketCreated,
        targetId: ticket.reference,
      });
      expect(created.actorType).toBe('system');
      expect(JSON.parse(created.detail as string)).toMatchObject({ channel: 'email', via: 'mail' });
    });

    it("should open a ticket for a mail to the site's alias, as a local part or a whole address", async () => {
      const other = await createTestTenant(dataSource);
      await dataSource
        .getRepository(Site)
        .update({ id: other.site.id }, { inboundAlias: 'support@shop-b.example.jp' });
      const outcome = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to: 'Support@Shop-B.example.jp',
          subject: 'alias',
          text: 'alias mail',
        }),
        // Forwarded by the shop's own mail server: the envelope names our address, To the shop's.
        { transport: 'imap', envelopeTo: [] },
      );
      expect(outcome.kind).toBe('new_ticket');
      const ticket = await dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: outcome.ticketId });
      expect(ticket.siteId).toBe(other.site.id);

      await dataSource
        .getRepository(Site)
        .update({ id: other.site.id }, { inboundAlias: 'help-b' });
      const byLocalPart = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to: `help-b@${DOMAIN}`,
          subject: 'alias',
          text: 'local alias',
        }),
        smtpMeta([`help-b@${DOMAIN}`]),
      );
      expect(byLocalPart.kind).toBe('new_ticket');
    });

    it('should refuse a mail to a closed site and open nothing', async () => {
      const closed = await createTestTenant(dataSource, { intakeOpen: false });
      const before = await storedCounts();
      const outcome = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to: `${closed.site.slug}@${DOMAIN}`,
          subject: 'x',
          text: 'x',
        }),
        smtpMeta([`${closed.site.slug}@${DOMAIN}`]),
      );
      expect(outcome).toEqual({ kind: 'rejected', reason: 'intake_closed' });
      expect(await storedCounts()).toEqual(before);
    });

    it('should answer an unknown address as unmatched and store nothing but the record', async () => {
      const before = await storedCounts();
      const outcome = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to: `nobody@${DOMAIN}`,
          subject: 'x',
          text: 'x',
        }),
        smtpMeta([`nobody@${DOMAIN}`]),
      );
      expect(outcome.kind).toBe('unmatched');
      expect(await storedCounts()).toEqual(before);
    });
  });

  describe('automatic mail and bounces', () => {
    it.each([
      ['Auto-Submitted', { 'Auto-Submitted': 'auto-replied' }, '自動返信: お問い合わせ'],
      ['X-Autoreply', { 'X-Autoreply': 'yes' }, 'Re: お問い合わせ'],
      ['Precedence: bulk', { Precedence: 'bulk' }, 'お知らせ'],
      [
        'an Outlook out-of-office notice',
        { 'X-Auto-Response-Suppress': 'All' },
        '不在: お問い合わせ',
      ],
    ])('should neither reopen a ticket nor open one for %s', async (_case, headers, subject) => {
      const ticket = await webTicket();
      await setStatus(ticket, 'resolved');
      const to = await replyAddressOf(ticket, 'requester');
      const before = await storedCounts();
      const outcome = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to,
          subject,
          text: '現在不在にしております。',
          headers,
        }),
        smtpMeta([to]),
      );
      expect(outcome).toMatchObject({ kind: 'auto_reply', ticketId: ticket.id });
      expect((await reload(ticket)).status).toBe('resolved');
      // To the site's address: no ticket, and so no confirmation mail answering it.
      const toSite = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to: `${tenant.site.slug}@${DOMAIN}`,
          subject,
          text: '不在',
          headers,
        }),
        smtpMeta([`${tenant.site.slug}@${DOMAIN}`]),
      );
      expect(toSite.kind).toBe('auto_reply');
      expect(await storedCounts()).toEqual(before);
      expect(await setAsideRows(ticket)).toHaveLength(1);
    });

    it('should mark the bounced mail failed, tell the agent, and not reopen the ticket', async () => {
      const ticket = await webTicket();
      await setStatus(ticket, 'resolved');
      const messageIdHeader = `<bounced-${ticket.id}@${DOMAIN}>`;
      const { replyId, jobId } = await runTransaction(intake.get(DataSource), async (manager) => {
        const reply = await manager.insert(Message, {
          ticketId: ticket.id,
          kind: 'reply',
          authorUserId: null,
          body: cipher.encrypt('ご回答です。'),
          deliveryState: 'sent',
          createdAt: new Date(),
        });
        const replyId = Number(reply.identifiers[0]?.id);
        const jobId = await intake.get(OutboxService).enqueueMail(
          manager,
          {
            to: 'gone@example.jp',
            fromName: 'テストショップ',
            subject: 'ご回答',
            text: 'ご回答です。',
            messageId: replyId,
            messageIdHeader,
          },
          new Date(),
          { ticketId: ticket.id },
        );
        const ids = { replyId, jobId };
        await intake.get(SentMailIdService).record(manager, {
          messageIdHeader,
          ticketId: ticket.id,
          messageId: ids.replyId,
          outboxJobId: ids.jobId,
          audience: 'requester',
        });
        return ids;
      });
      const outcome = await inbound.ingest(
        deliveryStatusNotification({
          to: `noreply@${DOMAIN}`,
          originalMessageId: messageIdHeader,
          failedRecipient: 'gone@example.jp',
        }),
        smtpMeta([`noreply@${DOMAIN}`], ''),
      );
      expect(outcome).toMatchObject({ kind: 'bounce', ticketId: ticket.id });
      expect(
        (await dataSource.getRepository(Message).findOneByOrFail({ id: replyId })).deliveryState,
      ).toBe('failed');
      expect(
        (await dataSource.getRepository(OutboxJob).findOneByOrFail({ id: jobId })).status,
      ).toBe('dead');
      const messages = await messagesOf(ticket);
      expect(messages.filter((message) => message.kind === 'customer')).toHaveLength(1);
      expect(messages.at(-1)?.kind).toBe('system');
      expect((await reload(ticket)).status).toBe('resolved');
    });

    it('should drop a bounce about a mail that is not ours', async () => {
      const before = await storedCounts();
      const outcome = await inbound.ingest(
        deliveryStatusNotification({
          to: `noreply@${DOMAIN}`,
          originalMessageId: '<not-ours@elsewhere.example>',
          failedRecipient: 'x@example.jp',
        }),
        smtpMeta([`noreply@${DOMAIN}`], ''),
      );
      expect(outcome).toEqual({ kind: 'bounce', reason: 'unknown_mail' });
      expect(await storedCounts()).toEqual(before);
    });
  });

  describe('idempotency and limits', () => {
    it('should store a mail delivered twice (or at once) only once', async () => {
      const ticket = await webTicket();
      const to = await replyAddressOf(ticket, 'requester');
      const raw = await composeMail({
        from: shopperAddress(),
        to,
        subject: 'Re',
        text: 'ONCE-ONLY-3310',
      });
      const outcomes = await Promise.all([
        inbound.ingest(raw, smtpMeta([to])),
        inbound.ingest(raw, smtpMeta([to])),
      ]);
      const again = await inbound.ingest(raw, { transport: 'imap', envelopeTo: [] });
      expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['duplicate', 'reply']);
      expect(again).toEqual({ kind: 'duplicate' });
      const texts = (await messagesOf(ticket)).map((message) => message.text);
      expect(texts.filter((text) => text === 'ONCE-ONLY-3310')).toHaveLength(1);
    });

    it('should know a mail without a Message-ID again by its bytes', async () => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const raw = Buffer.from(
        `From: ${shopperAddress()}\r\nTo: ${to}\r\nSubject: no id\r\n\r\nno message id\r\n`,
      );
      expect((await inbound.ingest(raw, smtpMeta([to]))).kind).toBe('new_ticket');
      expect(await inbound.ingest(raw, smtpMeta([to]))).toEqual({ kind: 'duplicate' });
    });

    it(`should refuse a sender's mail beyond ${PER_SENDER_PER_HOUR} an hour`, async () => {
      const from = shopperAddress('flood');
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const kinds: string[] = [];
      for (let i = 0; i <= PER_SENDER_PER_HOUR; i++) {
        const raw = await composeMail({ from, to, subject: `flood ${i}`, text: `flood ${i}` });
        kinds.push((await inbound.ingest(raw, smtpMeta([to]))).kind);
      }
      expect(kinds).toEqual([...Array<string>(PER_SENDER_PER_HOUR).fill('new_ticket'), 'rejected']);
      const rows = await dataSource
        .getRepository(InboundMail)
        .findBy({ outcome: 'rejected', reason: 'rate_limited' });
      expect(rows).toHaveLength(1);
    });

    it('should judge the retry of a mail refused over the limit again, never as a duplicate', async () => {
      const from = shopperAddress('flood-retry');
      const to = `${tenant.site.slug}@${DOMAIN}`;
      for (let i = 0; i < PER_SENDER_PER_HOUR; i++) {
        const raw = await composeMail({ from, to, subject: `retry ${i}`, text: `retry ${i}` });
        expect((await inbound.ingest(raw, smtpMeta([to]))).kind).toBe('new_ticket');
      }
      const refused = await composeMail({ from, to, subject: 'over', text: 'RETRIED-7741' });
      expect(await inbound.ingest(refused, smtpMeta([to]))).toMatchObject({
        kind: 'rejected',
        reason: 'rate_limited',
      });
      // The listener answered 451: the MTA sends the same bytes (same Message-ID) again later.
      // Still over the limit now, it is refused again, not swallowed as already seen.
      expect(await inbound.ingest(refused, smtpMeta([to]))).toMatchObject({
        kind: 'rejected',
        reason: 'rate_limited',
      });
    });
  });

  describe('attachments', () => {
    it('should store the accepted files and list the refused ones in a system note, keeping the text', async () => {
      const ticket = await webTicket();
      const to = await replyAddressOf(ticket, 'requester');
      const outcome = await inbound.ingest(
        await composeMail({
          from: shopperAddress(),
          to,
          subject: 'Re: スクリーンショット',
          text: 'スクリーンショットを添付します。',
          attachments: [
            { filename: '../../etc/\u202Egnp.exe', content: plainPng(), contentType: 'image/png' },
            {
              filename: 'statement.png',
              content: Buffer.from('<html><script>alert(1)</script></html>'),
            },
          ],
        }),
        smtpMeta([to]),
      );
      expect(outcome.kind).toBe('reply');
      const messages = await messagesOf(ticket);
      const reply = messages.find((message) => message.text === 'スクリーンショットを添付します。');
      expect(reply).toBeDefined();
      const stored = await dataSource.getRepository(Attachment).findBy({ messageId: reply?.id });
      expect(stored).toHaveLength(1);
      expect(stored[0]?.contentType).toBe('image/png');
      const filename = cipher.decrypt(stored[0]?.filename as string);
      expect(filename).not.toMatch(/[/\\\u202E]/);
      expect(filename).toMatch(/\.png$/);
      const note = messages.at(-1);
      expect(note?.kind).toBe('system');
      expect(note?.text).toContain('statement.png');
    });
  });

  describe('bad input: refused or stored harmlessly, never a crash, never half-stored', () => {
    async function ingestSafely(raw: Buffer, meta: InboundMeta): Promise<InboundOutcome> {
      // Anything but an outcome (or the "try later" error, which bad input must not cause) fails.
      return inbound.ingest(raw, meta);
    }

    it('should refuse a mail without From', async () => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const before = await storedCounts();
      const outcome = await ingestSafely(
        Buffer.from(`To: ${to}\r\nSubject: who\r\n\r\nno sender\r\n`),
        smtpMeta([to]),
      );
      expect(outcome).toEqual({ kind: 'rejected', reason: 'no_sender' });
      expect(await storedCounts()).toEqual(before);
    });

    it('should refuse an oversized mail before reading it', async () => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const raw = Buffer.concat([
        Buffer.from(`From: big@example.jp\r\nTo: ${to}\r\nSubject: big\r\n\r\n`),
        Buffer.alloc(MAX_BYTES, 'a'),
      ]);
      expect(await ingestSafely(raw, smtpMeta([to]))).toEqual({
        kind: 'rejected',
        reason: 'too_large',
      });
    });

    it.each([
      ['bytes that are no mail at all', Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x00])],
      ['an empty mail', Buffer.alloc(0)],
      ['a From that is no address', Buffer.from('From: <<<>>>\r\nSubject: x\r\n\r\nx\r\n')],
    ])('should refuse %s, storing nothing', async (_case, raw) => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const before = await storedCounts();
      const outcome = await ingestSafely(raw, smtpMeta([to]));
      expect(outcome).toEqual({ kind: 'rejected', reason: 'no_sender' });
      expect(await storedCounts()).toEqual(before);
    });

    it('should store what can be read of broken MIME as text, whole or not at all', async () => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const raw = Buffer.from(
        `From: ${shopperAddress('broken')}\r\nTo: ${to}\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!@@@\r\n--\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n`,
      );
      const before = await storedCounts();
      const outcome = await ingestSafely(raw, smtpMeta([to]));
      expect(outcome.kind).toBe('new_ticket');
      const ticket = await dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: outcome.ticketId });
      // One ticket, its one message (and a note if a part was refused), its receipt: nothing partial.
      const messages = await messagesOf(ticket);
      expect(messages[0]?.kind).toBe('customer');
      expect(messages.slice(1).every((message) => message.kind === 'system')).toBe(true);
      const after = await storedCounts();
      expect(after.tickets).toBe(before.tickets + 1);
      expect(after.messages).toBe(before.messages + messages.length);
      expect(after.attachments).toBe(before.attachments);
    });

    it('should keep a mail nested 200 levels deep as its text and one attached mail, unparsed', async () => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const outcome = await ingestSafely(
        deeplyNestedMail({ from: shopperAddress(), to, depth: 200 }),
        smtpMeta([to]),
      );
      expect(outcome.kind).toBe('new_ticket');
      const ticket = await dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: outcome.ticketId });
      const messages = await messagesOf(ticket);
      expect(messages[0]?.text).toContain('転送の199段目です。');
      expect(messages[0]?.text).not.toContain('転送の198段目です。');
      const attachments = await dataSource
        .getRepository(Attachment)
        .findBy({ ticketId: ticket.id });
      expect(attachments.map((attachment) => attachment.contentType)).toEqual(['text/plain']);
      expect(cipher.decrypt(attachments[0]?.filename as string)).toBe('添付されたメール.txt');
    });

    it('should route a mail to thousands of recipients by the first few', async () => {
      const to = `${tenant.site.slug}@${DOMAIN}`;
      const many = Array.from({ length: 3000 }, (_, index) => `r${index}@example.jp`);
      const outcome = await ingestSafely(
        await composeMail({
          from: shopperAddress(),
          to: [to, ...many],
          subject: 'many',
          text: 'many recipients',
        }),
        { transport: 'imap', envelopeTo: [] },
      );
      expect(outcome.kind).toBe('new_ticket');
    });
  });
});

describe(`inbound mail: the database down (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INBOUND_MAIL_DOMAIN: DOMAIN });
    intake = await startIntakeApp(testEnv);
  });

  afterAll(async () => {
    await intake?.close().catch(() => undefined);
    await testEnv?.cleanup();
  });

  it('should throw InboundTemporaryError and store nothing, so the transport asks to try again', async () => {
    const tenant = await createTestTenant(testEnv.dataSource);
    const to = `${tenant.site.slug}@${DOMAIN}`;
    const raw = await composeMail({
      from: shopperAddress(),
      to,
      subject: 'later',
      text: 'try later',
    });
    await intake.get(DataSource).destroy();
    await expect(
      intake.get(InboundMailService).ingest(raw, { transport: 'smtp', envelopeTo: [to] }),
    ).rejects.toBeInstanceOf(InboundTemporaryError);
    expect(await testEnv.dataSource.getRepository(InboundMail).count()).toBe(0);
    expect(await testEnv.dataSource.getRepository(Ticket).countBy({ siteId: tenant.site.id })).toBe(
      0,
    );
  });
});
