import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AUDIT_ACTIONS, type AuditActor, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  Clock,
  DomainException,
  ErrorCode,
  inquiriesTotal,
  isUniqueViolation,
  runTransaction,
  sameTextIgnoringWhitespace,
} from '@madoguchi/common';
import { BlindIndex, FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { Queue, type SiteWithMerchant } from '@madoguchi/tenancy';
import { AttachmentService } from '../attachment/attachment.service';
import type { CleanFile } from '../attachment/attachment.type';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { Message } from '../message/message.entity';
import { StatusLinkService } from '../mail-thread/status-link.service';
import { ThreadedMailService } from '../mail-thread/threaded-mail.service';
import { TicketOpeningService } from '../opening/ticket-opening.service';
import { expectedAnswerSentence } from '../sla/expected-answer.text';
import { expectedFirstAnswer } from '../sla/expected-answer.util';
import type { TicketChannel } from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import { countFaqInquiry } from './faq-page-counter';
import { maskCardNumbers } from './card-number-mask.util';
import { confirmationMail } from './confirmation-mail.template';
import type { InquiryInput } from './inquiry-input.validator';
import { InquiryFormToken } from './inquiry-form-token.entity';

export interface SubmittedInquiry {
  reference: string;
  statusUrl: string;
  /**
   * True when an earlier result was returned and nothing stored: an Idempotency-Key replay, or
   * (the branded form) a form token sent again or the same text again within
   * {@link SAME_SUBMISSION_WINDOW_MINUTES}.
   */
  replayed: boolean;
  /**
   * The ticket's first-response due (what the thank-you page promises): the new ticket's, the
   * first ticket's on a form resubmission, null on an Idempotency-Key replay.
   */
  firstResponseDueAt: Date | null;
}

export interface SubmissionContext {
  ip: string | null;
  /** The client's `Idempotency-Key` and the body it came with. */
  idempotency?: { key: string; body: unknown };
  /** The form was reached from the public incident page's link (`from_faq=1`): counted, per site and day. */
  fromFaq?: boolean;
  /** `email` for a mail to a site's address (libs/inbound-mail); default `web`. */
  channel?: Extract<TicketChannel, 'web' | 'email'>;
  /** Who opened it, for the `ticket.created` audit event; default the end user. */
  auditActor?: AuditActor;
  /** The channel's non-personal facts, added to the audit event's detail. */
  auditDetail?: Record<string, unknown>;
  /** Files already checked (AttachmentInspector), stored with the first message in its transaction. */
  attachments?: readonly CleanFile[];
  /**
   * The branded form (issue 15): its one-time token (consumed: the same token again shows the
   * first ticket), and whether the same requester's identical text on the same site within
   * {@link SAME_SUBMISSION_WINDOW_MINUTES} is the same submission (Back reloads the form with a
   * new token, so the token alone does not stop a second ticket).
   */
  form?: { token: string | null; sameTextWindow: boolean };
}

interface StoredResponse {
  reference: string;
  statusUrl: string;
}

/** The branded form: the same requester's identical text on one site within this is one submission. */
export const SAME_SUBMISSION_WINDOW_MINUTES = 30;

/** A form token as the form issues it (generateSecretToken); anything else is ignored. */
const FORM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Receipts mailed to one address (per its blind index) in any 24 hours; more inquiries are taken without one. */
export const CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY = 5;

/**
 * Turns an end user's inquiry into a ticket in the merchant's default queue: the ticket, the
 * first message, the audit event (TicketOpeningService, as every channel), the confirmation
 * mail and the idempotency record commit together or not at all.
 */
@Injectable()
export class InquiryService {
  private readonly logger = new Logger(InquiryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly opening: TicketOpeningService,
    private readonly clock: Clock,
    private readonly attachments: AttachmentService,
    private readonly statusLinks: StatusLinkService,
    private readonly threadedMail: ThreadedMailService,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditService,
  ) {}

  async submit(
    target: SiteWithMerchant,
    input: InquiryInput,
    context: SubmissionContext,
  ): Promise<SubmittedInquiry> {
    const idempotency = context.idempotency
      ? {
          keyHash: hashSecretToken(context.idempotency.key),
          digest: this.blindIndex.requestDigest(context.idempotency.body),
        }
      : null;
    if (idempotency) {
      const earlier = await this.replay(target.site.id, idempotency);
      if (earlier) return earlier;
    }
    const formTokenHash = formTokenHashOf(context.form?.token);
    const resubmitted = await this.earlierFormSubmission(target, input, context, formTokenHash);
    if (resubmitted) return resubmitted;
    try {
      const { created, ticket } = await runTransaction(this.dataSource, (manager) =>
        this.createTicket(manager, target, input, context, idempotency, formTokenHash),
      );
      inquiriesTotal.inc({ merchant_id: String(ticket.merchantId), channel: 'web' });
      return { ...created, replayed: false, firstResponseDueAt: ticket.firstResponseDueAt };
    } catch (error) {
      // Two requests with one key raced: the loser's transaction rolled back; answer as the winner did.
      if (idempotency && isUniqueViolation(error)) {
        const earlier = await this.replay(target.site.id, idempotency);
        if (earlier) return earlier;
      }
      // Two posts of one form token raced: answer the loser with the winner's ticket.
      if (formTokenHash !== null && isUniqueViolation(error)) {
        const earlier = await this.earlierFormSubmission(target, input, context, formTokenHash);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * The branded form sent again (issue 15): its one-time token was consumed by an earlier
   * ticket, or (Back reloads the form with a new token) the same requester sent the same text
   * to the same site within {@link SAME_SUBMISSION_WINDOW_MINUTES}. Answers with that ticket
   * (its thank-you page again), stores no ticket and mails nothing; audited on that ticket as
   * `inquiry.resubmitted`. Null when this is a new submission.
   */
  private async earlierFormSubmission(
    { site }: SiteWithMerchant,
    input: InquiryInput,
    context: SubmissionContext,
    formTokenHash: string | null,
  ): Promise<SubmittedInquiry | null> {
    if (!context.form) return null;
    const manager = this.dataSource.manager;
    const tickets = manager.getRepository(Ticket);
    let earlier: Ticket | null = null;
    let matchedBy: 'form_token' | 'same_text' = 'form_token';
    if (formTokenHash !== null) {
      const token = await manager
        .getRepository(InquiryFormToken)
        .findOneBy({ siteId: site.id, tokenHash: formTokenHash });
      if (token) earlier = await tickets.findOneBy({ id: token.ticketId });
    }
    if (earlier === null && context.form.sameTextWindow) {
      earlier = await this.sameTextTicket(manager, site.id, input);
      matchedBy = 'same_text';
    }
    if (earlier === null) return null;
    const found = earlier;
    const now = this.clock.now();
    await runTransaction(this.dataSource, (tx) =>
      this.audit.record(
        tx,
        {
          actor: context.auditActor ?? { type: 'end_user' },
          action: AUDIT_ACTIONS.inquiryResubmitted,
          merchantId: found.merchantId,
          target: { type: 'ticket', id: found.reference },
          ip: context.ip,
          detail: { site: site.slug, matchedBy },
        },
        now,
      ),
    );
    return {
      reference: earlier.reference,
      statusUrl: this.statusLinks.statusUrlOf(earlier) ?? '',
      replayed: true,
      firstResponseDueAt: earlier.firstResponseDueAt,
    };
  }

  /**
   * The earliest ticket of this site within the window from the same requester (email blind
   * index) whose first customer message has the same text (whitespace aside, card numbers masked
   * as they were stored). Bodies are encrypted, so the few candidates are decrypted to compare.
   */
  private async sameTextTicket(
    manager: EntityManager,
    siteId: number,
    input: InquiryInput,
  ): Promise<Ticket | null> {
    const since = new Date(this.clock.now().getTime() - SAME_SUBMISSION_WINDOW_MINUTES * 60_000);
    const candidates = await manager
      .getRepository(Ticket)
      .createQueryBuilder('ticket')
      .where('ticket.requesterEmailIndex = :index', { index: this.blindIndex.email(input.email) })
      .andWhere('ticket.siteId = :siteId', { siteId })
      .andWhere('ticket.createdAt >= :since', { since })
      .andWhere('ticket.mergedIntoId IS NULL')
      .andWhere('ticket.erasedAt IS NULL')
      .orderBy('ticket.id', 'ASC')
      .take(20)
      .getMany();
    if (candidates.length === 0) return null;
    const firstMessages = await manager.getRepository(Message).find({
      where: { ticketId: In(candidates.map((ticket) => ticket.id)), kind: 'customer' },
      order: { id: 'ASC' },
    });
    const text = maskCardNumbers(input.message).text;
    for (const ticket of candidates) {
      const first = firstMessages.find((message) => message.ticketId === ticket.id);
      const body = first ? this.cipher.decryptNullable(first.body) : null;
      if (body !== null && sameTextIgnoringWhitespace(body, text)) return ticket;
    }
    return null;
  }

  /**
   * The same inquiry inside the caller's transaction, for a channel that writes its own record
   * with the ticket (an inbound mail): ticket, first message, audit and the capped confirmation
   * mail, exactly as {@link submit}, without the idempotency key.
   */
  async submitWithin(
    manager: EntityManager,
    target: SiteWithMerchant,
    input: InquiryInput,
    context: SubmissionContext,
  ): Promise<SubmittedInquiry & { ticket: Ticket; firstMessageId: number }> {
    const { created, ticket, firstMessageId } = await this.createTicket(
      manager,
      target,
      input,
      context,
      null,
    );
    return {
      ...created,
      ticket,
      firstMessageId,
      replayed: false,
      firstResponseDueAt: ticket.firstResponseDueAt,
    };
  }

  private async replay(
    siteId: number,
    idempotency: { keyHash: string; digest: string },
  ): Promise<SubmittedInquiry | null> {
    const earlier = await this.dataSource
      .getRepository(IdempotencyKey)
      .findOneBy({ siteId, keyHash: idempotency.keyHash });
    if (!earlier) return null;
    if (earlier.requestDigest !== idempotency.digest) {
      throw new DomainException(
        ErrorCode.IdempotencyKeyReused,
        'この Idempotency-Key は別の内容で使われています。',
      );
    }
    const stored = JSON.parse(this.cipher.decrypt(earlier.response)) as StoredResponse;
    return { ...stored, replayed: true, firstResponseDueAt: null };
  }

  /**
   * Whether the receipt may go out: at most {@link CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY} per
   * address (its blind index) in any 24 hours, counted from the tickets filed with it, so the form
   * cannot be used to flood someone's mailbox in the merchant's name. Beyond that the inquiry is
   * still taken (201) and reaches the desk; only the mail is left out (audited as `capped`).
   */
  private async confirmationAllowed(
    manager: EntityManager,
    email: string,
    now: Date,
  ): Promise<boolean> {
    // Asked before the new ticket is stored, so every ticket counted is an earlier one.
    const earlier = await manager
      .getRepository(Ticket)
      .createQueryBuilder('ticket')
      .where('ticket.requesterEmailIndex = :index', { index: this.blindIndex.email(email) })
      .andWhere('ticket.createdAt > :since', { since: new Date(now.getTime() - 24 * 3600_000) })
      .getCount();
    return earlier < CONFIRMATION_MAILS_PER_ADDRESS_PER_DAY;
  }

  private async createTicket(
    manager: EntityManager,
    { site, merchant }: SiteWithMerchant,
    input: InquiryInput,
    context: SubmissionContext,
    idempotency: { keyHash: string; digest: string } | null,
    formTokenHash: string | null = null,
  ): Promise<{ created: StoredResponse; ticket: Ticket; firstMessageId: number }> {
    const now = this.clock.now();
    const queue = await this.defaultQueue(manager, merchant.id);
    const statusLink = this.statusLinks.issue();
    const name = maskCardNumbers(input.name).text;
    const body = maskCardNumbers(input.message);
    const confirmationQueued = await this.confirmationAllowed(manager, input.email, now);
    const { ticket, firstMessageId } = await this.opening.open(
      manager,
      {
        channel: context.channel ?? 'web',
        merchantId: merchant.id,
        siteId: site.id,
        queueId: queue.id,
        category: input.category,
        status: 'new',
        assigneeId: null,
        requester: {
          name,
          email: input.email,
          phone: input.phone,
          orderNumber: input.orderNumber,
        },
        statusTokenHash: statusLink.tokenHash,
        sealedStatusToken: statusLink.sealedToken,
        firstResponded: false,
        firstMessage: { kind: 'customer', authorUserId: null, text: body.text },
        audit: {
          actor: context.auditActor ?? { type: 'end_user' },
          ip: context.ip,
          detail: () => ({
            ...context.auditDetail,
            site: site.slug,
            category: input.category,
            cardNumbersMasked: body.masked,
            confirmationMail: confirmationQueued ? 'queued' : 'capped',
            ...(context.attachments?.length ? { attachments: context.attachments.length } : {}),
          }),
        },
      },
      now,
    );
    const reference = ticket.reference;
    // Deflection statistics (issue 13.6): a count per site and day, in this transaction.
    if (context.fromFaq) await countFaqInquiry(manager, { site, merchant }, now);
    if (context.attachments?.length) {
      const owner = { ticketId: ticket.id, messageId: firstMessageId, merchantId: merchant.id };
      await this.attachments.store(manager, owner, context.attachments);
    }
    const statusUrl = statusLink.url;
    const expected = expectedFirstAnswer(ticket, now, this.calendar);
    if (confirmationQueued)
      await this.threadedMail.enqueue(
        manager,
        ticket,
        'requester',
        confirmationMail({
          to: input.email,
          senderName: site.senderName,
          siteName: site.displayName,
          requesterName: name,
          reference,
          statusUrl,
          category: input.category,
          expectedAnswer: expected === null ? null : expectedAnswerSentence(expected),
        }),
        // A receipt, sent by itself: other desks and auto-responders must not answer it.
        { at: now, autoGenerated: true },
      );
    const created: StoredResponse = { reference, statusUrl };
    if (idempotency) {
      await manager.insert(IdempotencyKey, {
        siteId: site.id,
        keyHash: idempotency.keyHash,
        requestDigest: idempotency.digest,
        ticketId: ticket.id,
        response: this.cipher.encrypt(JSON.stringify(created)),
        createdAt: now,
      });
    }
    if (formTokenHash !== null) {
      // Consumed with the ticket: the unique (site, hash) index makes a racing second post fail.
      await manager.insert(InquiryFormToken, {
        siteId: site.id,
        tokenHash: formTokenHash,
        ticketId: ticket.id,
        createdAt: now,
      });
    }
    return { created, ticket, firstMessageId };
  }

  private async defaultQueue(manager: EntityManager, merchantId: number): Promise<Queue> {
    const queue = await manager
      .getRepository(Queue)
      .findOne({ where: { merchantId }, order: { isDefault: 'DESC', id: 'ASC' } });
    if (!queue) {
      this.logger.error(`merchant ${merchantId} has no queue; inquiry refused`);
      throw new DomainException(ErrorCode.Internal, 'merchant has no queue');
    }
    return queue;
  }
}

function formTokenHashOf(token: string | null | undefined): string | null {
  return typeof token === 'string' && FORM_TOKEN_PATTERN.test(token)
    ? hashSecretToken(token)
    : null;
}
