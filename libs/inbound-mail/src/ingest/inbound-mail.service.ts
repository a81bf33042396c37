import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DataSource, type EntityManager, MoreThan } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DomainException,
  ErrorCode,
  inquiriesTotal,
  isDatabaseUnavailable,
  isUniqueViolation,
  runTransaction,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { BlindIndex } from '@madoguchi/crypto';
import { normaliseMessageId } from '@madoguchi/mail';
import { Merchant, notificationAddresses, SiteService } from '@madoguchi/tenancy';
import { MailBounceService, retryCustomerReply, survivorOf, Ticket } from '@madoguchi/tickets';
import {
  bouncedMessageIds,
  bounceReasonOf,
  classifyAutomaticMail,
} from '../classify/automatic-mail.util';
import { type ParsedInboundMail, parseInboundMail } from '../parse/inbound-mail-parser';
import { isForwardSubject, stripQuotedHistory } from '../quoted-history/quoted-history.util';
import { recipientsInOrder } from '../route/inbound-recipient.util';
import { InboundMail } from './inbound-mail.entity';
import { inboundMailsTotal } from './inbound-mail.metrics';
import { INBOUND_MAIL_TEXTS } from './inbound-mail.texts';
import {
  InboundMessageWriter,
  type MailOrigin,
  TicketClosedForMail,
} from './inbound-message-writer.service';
import {
  type InboundMeta,
  type InboundOutcome,
  type InboundRejectReason,
  InboundTemporaryError,
} from './inbound-outcome.type';
import { InboundRoutingService, type ThreadedBy } from './inbound-routing.service';

/** A ticket write that met a concurrent change is tried again this many times in all. */
const ATTEMPTS = 3;
/** Longest display name kept as a new ticket's requester name (the form's limit). */
const NAME_MAX_LENGTH = 100;

/** What one transaction decided; the row of inbound_mails records the same. */
interface Decision {
  outcome: InboundOutcome;
  merchantId: number | null;
}

/**
 * The one door for mail that arrives (docs/email.md "Inbound mail"): parse, classify, route,
 * store. Resolves once the mail is durably stored or deliberately dropped, with what became of
 * it; throws only {@link InboundTemporaryError} (nothing stored; try again later), whatever the
 * input. Idempotent by Message-ID: the row in inbound_mails is written first, in the same
 * transaction as the message, so a second delivery finds it and stores nothing.
 */
@Injectable()
export class InboundMailService {
  private readonly logger = new Logger(InboundMailService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly blindIndex: BlindIndex,
    private readonly routing: InboundRoutingService,
    private readonly writer: InboundMessageWriter,
    private readonly bounces: MailBounceService,
    private readonly sites: SiteService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async ingest(raw: Buffer, meta: InboundMeta): Promise<InboundOutcome> {
    const outcome = await this.ingestOnce(raw, meta);
    inboundMailsTotal.inc({ transport: meta.transport, outcome: outcome.kind });
    return outcome;
  }

  private async ingestOnce(raw: Buffer, meta: InboundMeta): Promise<InboundOutcome> {
    if (raw.length > this.config.inboundMail.maxMessageBytes) {
      return { kind: 'rejected', reason: 'too_large' };
    }
    const mail = await parseInboundMail(raw);
    if (mail === null) return { kind: 'rejected', reason: 'malformed' };
    const messageIdHash = this.messageIdHashOf(mail, raw);
    try {
      return await this.decideAndStore(mail, meta, messageIdHash);
    } catch (error) {
      // Two deliveries of one mail at once: the other one's row came first.
      if (isUniqueViolation(error) && (await this.seen(messageIdHash).catch(() => false))) {
        return { kind: 'duplicate' };
      }
      const errorId = randomUUID();
      if (isDatabaseUnavailable(error) || isStaleVersion(error)) {
        this.logger.warn(`inbound mail not stored now (${errorId}): ${String(error)}`);
      } else {
        // An unexpected failure is not the sender's fault: they try again later, nothing is lost.
        this.logger.error(`inbound mail failed (${errorId})`, (error as Error).stack);
      }
      throw new InboundTemporaryError(undefined, { cause: error });
    }
  }

  private async decideAndStore(
    mail: ParsedInboundMail,
    meta: InboundMeta,
    messageIdHash: string,
  ): Promise<InboundOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const decision = await retryCustomerReply(() =>
          runTransaction(this.dataSource, (manager) =>
            this.decide(manager, mail, meta, messageIdHash),
          ),
        );
        if (decision.outcome.kind === 'new_ticket' && decision.merchantId !== null) {
          inquiriesTotal.inc({ merchant_id: String(decision.merchantId), channel: 'email' });
        }
        return decision.outcome;
      } catch (error) {
        // A merchant answer's conditional update that met an agent's change: read again.
        if (!isStaleVersion(error) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** One attempt, in one transaction: the inbound_mails row first, then whatever the mail does. */
  private async decide(
    manager: EntityManager,
    mail: ParsedInboundMail,
    meta: InboundMeta,
    messageIdHash: string,
  ): Promise<Decision> {
    const repository = manager.getRepository(InboundMail);
    if (await repository.existsBy({ messageIdHash })) {
      return { outcome: { kind: 'duplicate' }, merchantId: null };
    }
    const now = this.clock.now();
    const senderIndex = mail.from ? this.blindIndex.email(mail.from.address) : null;
    const automatic = classifyAutomaticMail(mail, meta.envelopeFrom, {
      domain: this.config.inboundMail.domain,
      fromAddress: this.config.mail.fromAddress,
    });
    // Bounces are not counted: a bulk send's bounces all come from a few mail systems.
    const limited =
      automatic?.kind !== 'bounce' &&
      senderIndex !== null &&
      (await this.overLimit(manager, senderIndex, now));
    const inserted = await manager.insert(InboundMail, {
      // A refusal over the limit is answered 451 (try later): its row must not hold the
      // Message-ID, or the retry would be taken for a duplicate and dropped unstored.
      messageIdHash: limited
        ? this.blindIndex.of('message_id', `inbound-limited:${randomUUID()}`)
        : messageIdHash,
      transport: meta.transport,
      outcome: 'unmatched',
      reason: null,
      ticketId: null,
      merchantId: null,
      senderIndex,
      receivedAt: now,
    });
    const rowId = Number(inserted.identifiers[0]?.id);
    const decision = limited
      ? rejected('rate_limited')
      : await this.handle(manager, mail, meta, senderIndex, automatic);
    await repository.update(
      { id: rowId },
      {
        outcome: decision.outcome.kind,
        reason: decision.outcome.reason ?? null,
        ticketId: decision.outcome.ticketId ?? null,
        merchantId: decision.merchantId,
      },
    );
    return decision;
  }

  private async handle(
    manager: EntityManager,
    mail: ParsedInboundMail,
    meta: InboundMeta,
    senderIndex: string | null,
    automatic: ReturnType<typeof classifyAutomaticMail>,
  ): Promise<Decision> {
    const origin: MailOrigin = { transport: meta.transport, ip: meta.remoteIp ?? null };
    if (automatic?.kind === 'bounce') return this.bounce(manager, mail, origin);
    if (!automatic && mail.from === null) return rejected('no_sender');
    const route = await this.routing.route(
      manager,
      {
        mail,
        recipients: recipientsInOrder(meta.envelopeTo, mail.recipients),
        senderIndex,
        automatic: automatic !== null,
      },
      this.config.inboundMail.domain,
    );
    if (automatic) {
      // Never opens or reopens a ticket, and is never answered; the ticket's trail notes it.
      const ticket = route.kind === 'ticket' ? route.ticket : null;
      const outcome: InboundOutcome = { kind: 'auto_reply', reason: automatic.reason };
      if (ticket) await this.noteOnTicket(manager, ticket, outcome, origin);
      return ticket
        ? { outcome: { ...outcome, ticketId: ticket.id }, merchantId: ticket.merchantId }
        : { outcome, merchantId: null };
    }
    const sender = mail.from as NonNullable<ParsedInboundMail['from']>;
    switch (route.kind) {
      case 'none':
        // The same answer whether a subject's ticket exists or belongs to someone else.
        return { outcome: { kind: 'unmatched', reason: 'no_ticket' }, merchantId: null };
      case 'site':
        return this.openTicket(manager, mail, sender, route.target, origin);
      case 'ticket':
        return route.audience === 'merchant'
          ? this.merchantAnswer(manager, mail, sender.address, route.ticket, origin)
          : this.customerReply(
              manager,
              mail,
              // Issue 15: a reply to a merged ticket goes on in the ticket it was merged into.
              await survivorOf(manager, route.ticket),
              origin,
              route.threadedBy,
            );
    }
  }

  private async customerReply(
    manager: EntityManager,
    mail: ParsedInboundMail,
    ticket: Ticket,
    origin: MailOrigin,
    threadedBy: ThreadedBy,
  ): Promise<Decision> {
    const parts = await this.writer.inspect(mail.attachments);
    try {
      await this.writer.customerReply(manager, ticket, replyText(mail), parts, origin);
    } catch (error) {
      if (!(error instanceof TicketClosedForMail)) throw error;
      const refused = await this.refusedOnTicket(manager, ticket, 'ticket_closed', origin);
      // Matched by the subject and a From anyone can forge: a 550 "closed" would confirm that
      // the reference and the address belong together. The sender sees what no match gets.
      return threadedBy === 'subject'
        ? { outcome: { kind: 'unmatched', reason: 'no_ticket' }, merchantId: refused.merchantId }
        : refused;
    }
    return {
      outcome: { kind: 'reply', ticketId: ticket.id, reference: ticket.reference },
      merchantId: ticket.merchantId,
    };
  }

  private async merchantAnswer(
    manager: EntityManager,
    mail: ParsedInboundMail,
    senderAddress: string,
    ticket: Ticket,
    origin: MailOrigin,
  ): Promise<Decision> {
    const merchant = await manager
      .getRepository(Merchant)
      .findOneByOrFail({ id: ticket.merchantId });
    const allowed = notificationAddresses(merchant).map((address) => address.toLowerCase());
    if (!allowed.includes(senderAddress.toLowerCase())) {
      return this.refusedOnTicket(manager, ticket, 'not_merchant_address', origin);
    }
    const parts = await this.writer.inspect(mail.attachments);
    try {
      await this.writer.merchantAnswer(manager, ticket, replyText(mail), parts, origin);
    } catch (error) {
      if (error instanceof TicketClosedForMail)
        return this.refusedOnTicket(manager, ticket, 'ticket_closed', origin);
      throw error;
    }
    return {
      outcome: { kind: 'merchant_answer', ticketId: ticket.id, reference: ticket.reference },
      merchantId: ticket.merchantId,
    };
  }

  private async openTicket(
    manager: EntityManager,
    mail: ParsedInboundMail,
    sender: NonNullable<ParsedInboundMail['from']>,
    target: Parameters<SiteService['intakeState']>[0],
    origin: MailOrigin,
  ): Promise<Decision> {
    const state = this.sites.intakeState(target, this.clock.now());
    if (state !== 'open') {
      return {
        outcome: {
          kind: 'rejected',
          reason: state === 'closed' ? 'intake_closed' : 'support_ended',
        },
        merchantId: target.merchant.id,
      };
    }
    if (!isEmail(sender.address) || sender.address.length > 254) return rejected('no_sender');
    const parts = await this.writer.inspect(mail.attachments);
    const { ticket } = await this.writer.newTicket(
      manager,
      target,
      { name: requesterName(sender), email: sender.address },
      newTicketText(mail),
      parts,
      origin,
    );
    return {
      outcome: { kind: 'new_ticket', ticketId: ticket.id, reference: ticket.reference },
      merchantId: ticket.merchantId,
    };
  }

  /** A bounce marks the mail it names failed (OUTGOING's MailBounceService); never a message of its own. */
  private async bounce(
    manager: EntityManager,
    mail: ParsedInboundMail,
    origin: MailOrigin,
  ): Promise<Decision> {
    const reason = bounceReasonOf(mail);
    for (const messageId of bouncedMessageIds(mail)) {
      const bounced = await this.bounces.markBounced(manager, messageId, reason);
      if (!bounced) continue;
      const ticket =
        bounced.ticketId === null
          ? null
          : await manager.getRepository(Ticket).findOneBy({ id: bounced.ticketId });
      const outcome: InboundOutcome = { kind: 'bounce', reason: 'delivery_failed' };
      if (!ticket) return { outcome, merchantId: null };
      await this.noteOnTicket(manager, ticket, outcome, origin);
      return { outcome: { ...outcome, ticketId: ticket.id }, merchantId: ticket.merchantId };
    }
    return { outcome: { kind: 'bounce', reason: 'unknown_mail' }, merchantId: null };
  }

  /** A refusal that concerns a known ticket: recorded on it (the audit trail), nothing written. */
  private async refusedOnTicket(
    manager: EntityManager,
    ticket: Ticket,
    reason: InboundRejectReason,
    origin: MailOrigin,
  ): Promise<Decision> {
    const outcome: InboundOutcome = { kind: 'rejected', reason };
    await this.noteOnTicket(manager, ticket, outcome, origin);
    return { outcome: { ...outcome, ticketId: ticket.id }, merchantId: ticket.merchantId };
  }

  private noteOnTicket(
    manager: EntityManager,
    ticket: Ticket,
    outcome: InboundOutcome,
    origin: MailOrigin,
  ): Promise<void> {
    return this.audit.record(
      manager,
      {
        actor: { type: 'system' },
        action: AUDIT_ACTIONS.ticketMailSetAside,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        ip: origin.ip,
        detail: {
          via: 'mail',
          transport: origin.transport,
          outcome: outcome.kind,
          reason: outcome.reason,
        },
      },
      this.clock.now(),
    );
  }

  /** More mail from this sender in the last hour than perSenderPerHour allows. */
  private async overLimit(
    manager: EntityManager,
    senderIndex: string,
    now: Date,
  ): Promise<boolean> {
    // 0 turns the limit off (as INTAKE_RATE_LIMIT_PER_MINUTE=0 does), never refuses every mail.
    if (this.config.inboundMail.perSenderPerHour === 0) return false;
    const since = new Date(now.getTime() - 3600_000);
    const count = await manager
      .getRepository(InboundMail)
      .countBy({ senderIndex, receivedAt: MoreThan(since) });
    return count >= this.config.inboundMail.perSenderPerHour;
  }

  private seen(messageIdHash: string): Promise<boolean> {
    return this.dataSource.getRepository(InboundMail).existsBy({ messageIdHash });
  }

  /**
   * The blind index of the normalised Message-ID; a mail without one (or with a malformed one)
   * is known by a digest of its bytes, so the same delivery twice is still one mail.
   */
  private messageIdHashOf(mail: ParsedInboundMail, raw: Buffer): string {
    const id = mail.messageId === null ? null : normaliseMessageId(mail.messageId);
    if (id !== null) return this.blindIndex.of('message_id', `inbound:${id}`);
    return this.blindIndex.of(
      'message_id',
      `inbound-raw:${createHash('sha256').update(raw).digest('hex')}`,
    );
  }
}

function rejected(reason: InboundRejectReason): Decision {
  return { outcome: { kind: 'rejected', reason }, merchantId: null };
}

function isStaleVersion(error: unknown): boolean {
  return error instanceof DomainException && error.code === ErrorCode.StaleVersion;
}

/** A reply's own words: the quoted history stripped (not from a forward: that is the content). */
function replyText(mail: ParsedInboundMail): string {
  const body = cleanText(mail.text);
  const own = isForwardSubject(mail.subject) ? body : stripQuotedHistory(body);
  return own.trim() === '' ? INBOUND_MAIL_TEXTS.emptyBody : own;
}

/** A new ticket's message: the subject, then the whole body (a mail to a shop quotes nothing of ours). */
function newTicketText(mail: ParsedInboundMail): string {
  const body = cleanText(mail.text).trim();
  const subject = cleanText(mail.subject).replace(/\s+/g, ' ').trim();
  const lines = [
    ...(subject === '' ? [] : [INBOUND_MAIL_TEXTS.subjectLine(subject), '']),
    body === '' ? INBOUND_MAIL_TEXTS.emptyBody : body,
  ];
  return lines.join('\n');
}

/** The display name, else the address's local part, cut to the form's limit. */
function requesterName(sender: NonNullable<ParsedInboundMail['from']>): string {
  const name = cleanText(sender.name ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const chosen = name === '' ? (sender.address.split('@')[0] ?? sender.address) : name;
  return [...chosen].slice(0, NAME_MAX_LENGTH).join('');
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}
