import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  Clock,
  compactDiff,
  DeskEventBus,
  diffChars,
  DomainException,
  ErrorCode,
  isLockConflict,
  renderCannedResponse,
  runTransaction,
  sameTextIgnoringWhitespace,
  type SystemScope,
  ValidationFailedException,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { FieldCipher } from '@madoguchi/crypto';
import {
  AnswerTemplateVersion,
  findApprovedVersionIn,
  Incident,
  newestApprovedVersions,
} from '@madoguchi/incidents';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
import {
  Merchant,
  Site,
  notificationAddresses,
  assertStaffScope,
  type TicketActor,
  type TenantScope,
} from '@madoguchi/tenancy';
import { AttachmentService } from '../attachment/attachment.service';
import type { CleanFile } from '../attachment/attachment.type';
import { TicketChangedEvent, type TicketChangeKind } from '../events/ticket-changed.event';
import { maskCardNumbers } from '../inquiry/card-number-mask.util';
import { requesterContext } from '../merge/requester-history';
import { StatusLinkService } from '../mail-thread/status-link.service';
import { ThreadedMailService } from '../mail-thread/threaded-mail.service';
import { merchantQuestionMail } from './merchant-notice-mail.template';
import { type AnswerProvenance, Message } from '../message/message.entity';
import { slaStateOf } from '../sla/sla-state.util';
import {
  isTicketCategory,
  isTicketPriority,
  isTicketStatus,
  TICKET_STATUS_LABELS,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
} from './ticket.constant';
import { Ticket } from './ticket.entity';
import { ticketAuditSubject } from './ticket-audit-subject.util';
import { handBackReplyText, merchantHandBackMail, replyMail } from './ticket-mail.template';
import {
  acceptsAgentMessages,
  allowedTransitions,
  assertTransition,
  defaultStatusAfterReply,
  statusAfterNote,
} from './ticket-status.rules';
import { SlaPolicyService } from '../sla-policy/sla-policy.service';
import { TicketViewAuditService } from '../view-audit/ticket-view-audit.service';
import {
  normaliseLineEndings,
  UserSignatureService,
  withSignature,
} from '../signature/user-signature.service';
import { REPLY_GUARD, type ReplyGuard } from './reply-guard';
import type { TicketChangeResult, TicketDetail, TicketMessageView } from './ticket-view.type';
import {
  assertExpectedVersion,
  changeResultOf,
  findScopedTicket,
  staleVersion,
  statusChangeEffects,
  type TicketFieldChanges,
  writeTicketChange,
} from './ticket-write.util';

/** Longest reply or note, in characters (after trimming). */
export const MESSAGE_BODY_MAX_LENGTH = 10_000;

/**
 * Statuses an agent may choose as a reply's `nextStatus`. Handing back (with its mails) and
 * closing have their own paths; `new` is never a destination.
 */
export const REPLY_NEXT_STATUSES = [
  'open',
  'pending_customer',
  'pending_merchant',
  'resolved',
] as const satisfies readonly TicketStatus[];
export type ReplyNextStatus = (typeof REPLY_NEXT_STATUSES)[number];

function isReplyNextStatus(value: unknown): value is ReplyNextStatus {
  return typeof value === 'string' && (REPLY_NEXT_STATUSES as readonly string[]).includes(value);
}

export interface ReplyInput {
  body: string;
  /**
   * The approved incident answer the reply used (its version id). Recorded on the message
   * only if it is the newest version approved for the ticket's merchant of a template of the
   * ticket's incident; anything else is refused (409 ANSWER_NOT_APPROVED) and nothing written.
   */
  answerVersionId?: number | null;
  expectedVersion?: number;
  /**
   * Where the ticket goes after the reply, one of {@link REPLY_NEXT_STATUSES} (others are
   * refused); default pending_customer (resolved stays resolved).
   */
  nextStatus?: TicketStatus;
  /**
   * Files the agent attached, already checked by AttachmentInspector: stored on the reply (the
   * end user sees them on the status page) and sent with its mail. Stored only once every check
   * of the reply passed, in its transaction.
   */
  attachments?: readonly CleanFile[];
}

/** For callers that reply on behalf of a larger operation (bulk sends). */
export interface ReplyOptions {
  /** Extra detail for the reply's audit event (e.g. the bulk send's id). */
  auditDetail?: Record<string, unknown>;
  /**
   * Runs inside the reply's transaction after the message is written; throwing rolls the
   * whole reply back (message, mail, audit), so a caller can make the reply conditional.
   */
  withinTransaction?: (manager: EntityManager, messageId: number) => Promise<void>;
  /**
   * A correction (issue 13.3): the reply carries a newer approved version to a receiver of an
   * older one. The mail's subject starts with 【訂正】 and the status page marks the earlier
   * reply (`correctsMessageId`) as corrected.
   */
  correction?: { correctsMessageId: number };
}

export interface NoteInput {
  body: string;
  expectedVersion?: number;
  /** Files on an internal note (checked by AttachmentInspector): stored with it, never mailed. */
  attachments?: readonly CleanFile[];
}

export interface StatusChangeInput {
  status: TicketStatus;
  expectedVersion?: number;
}

export interface TicketUpdateInput {
  category?: TicketCategory;
  priority?: TicketPriority;
  expectedVersion?: number;
}

export interface HandBackInput {
  expectedVersion?: number;
}

interface Written {
  ticket: Ticket;
  kind: TicketChangeKind;
}

/**
 * Working one ticket: reading it (an audited view of personal data), replying in the
 * merchant's name, notes, status, category and priority, handing it back. Every write runs in
 * one transaction with its audit event and outbox mail, guarded by the ticket's version, and
 * announces a {@link TicketChangedEvent} after commit. Merchant scopes read only.
 */
@Injectable()
export class TicketWorkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly calendar: BusinessCalendar,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly events: DeskEventBus,
    private readonly views: TicketViewAuditService,
    private readonly config: AppConfig,
    @Inject(REPLY_GUARD) private readonly replyGuard: ReplyGuard,
    private readonly clock: Clock,
    private readonly attachments: AttachmentService,
    private readonly statusLinks: StatusLinkService,
    private readonly threadedMail: ThreadedMailService,
    private readonly slaPolicies: SlaPolicyService,
    private readonly signatures: UserSignatureService,
  ) {}

  async detail(scope: TenantScope, reference: string, actor: TicketActor): Promise<TicketDetail> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    const [merchant, site, assignee, messages, incident] = await Promise.all([
      manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
      ticket.siteId === null
        ? Promise.resolve(null)
        : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
      ticket.assigneeId === null
        ? Promise.resolve(null)
        : this.userSummary(manager, ticket.assigneeId),
      manager
        .getRepository(Message)
        .createQueryBuilder('message')
        .leftJoin('message.author', 'author')
        .addSelect(['author.id', 'author.displayName'])
        .leftJoin('message.answerVersion', 'answerVersion')
        .addSelect(['answerVersion.id', 'answerVersion.version'])
        .where('message.ticketId = :ticketId', { ticketId: ticket.id })
        // Internal notes are the operator's own: merchant users see the conversation without them.
        .andWhere(scope.kind === 'merchant' ? "message.kind <> 'note'" : '1 = 1')
        .orderBy('message.id', 'ASC')
        .getMany(),
      ticket.incidentId === null
        ? Promise.resolve(null)
        : manager
            .getRepository(Incident)
            .findOne({ select: { id: true, title: true }, where: { id: ticket.incidentId } }),
    ]);
    const [failures, files] = await Promise.all([
      this.deliveryFailures(manager, ticket, messages),
      this.attachments.listForMessages(
        manager,
        messages.map((message) => message.id),
      ),
    ]);
    // Issue 15: the requester's other tickets (blind indexes, scoped), part of this audited view.
    const requester = await requesterContext(manager, scope, ticket);
    const mergedFrom = await this.mergedFromReferences(manager, messages);
    // Reading the requester and the conversation is the audited act, so record it before answering.
    await this.views.recordView(
      ticket,
      actor,
      requester.requesterHistory.length > 0
        ? { requesterHistory: requester.requesterHistory.length }
        : undefined,
    );
    const now = this.clock.now();
    return {
      reference: ticket.reference,
      merchantId: ticket.merchantId,
      merchantName: merchant.name,
      siteName: site?.displayName ?? null,
      queueId: ticket.queueId,
      channel: ticket.channel,
      category: ticket.category,
      status: ticket.status,
      priority: ticket.priority,
      assignee,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      slaDueAt: ticket.slaDueAt,
      slaState: slaStateOf(ticket, now, this.calendar),
      version: ticket.version,
      siteId: ticket.siteId,
      requester: {
        name: this.cipher.decryptNullable(ticket.requesterName),
        email: this.cipher.decryptNullable(ticket.requesterEmail),
        phone: this.cipher.decryptNullable(ticket.requesterPhone),
        orderNumber: this.cipher.decryptNullable(ticket.orderNumber),
      },
      firstResponseDueAt: ticket.firstResponseDueAt,
      firstRespondedAt: ticket.firstRespondedAt,
      resolutionDueAt: ticket.resolutionDueAt,
      resolvedAt: ticket.resolvedAt,
      closedAt: ticket.closedAt,
      merchantContact: { url: site?.contactUrl ?? null, text: site?.contactText ?? null },
      messages: messages.map((message): TicketMessageView => ({
        id: message.id,
        kind: message.kind,
        body: this.cipher.decryptNullable(message.body),
        author: message.author
          ? { id: message.author.id, displayName: message.author.displayName }
          : null,
        deliveryState: message.deliveryState,
        deliveryFailure: failures.get(message.id) ?? null,
        answerVersionId: message.answerVersionId,
        answerVersion: message.answerVersion?.version ?? null,
        answerProvenance: message.answerProvenance,
        correctsMessageId: message.correctsMessageId,
        attachments: files.get(message.id) ?? [],
        mergedFrom:
          message.mergedFromTicketId === null
            ? null
            : (mergedFrom.get(message.mergedFromTicketId) ?? null),
        createdAt: message.createdAt,
      })),
      allowedStatuses: allowedTransitions(ticket.status),
      incident,
      ...requester,
    };
  }

  /** The references of the tickets merged messages came from (same merchant: the ticket's own). */
  private async mergedFromReferences(
    manager: EntityManager,
    messages: readonly Message[],
  ): Promise<Map<number, string>> {
    const ids = [
      ...new Set(
        messages.flatMap((m) => (m.mergedFromTicketId === null ? [] : [m.mergedFromTicketId])),
      ),
    ];
    if (ids.length === 0) return new Map();
    const rows = await manager
      .getRepository(Ticket)
      .find({ select: { id: true, reference: true }, where: { id: In(ids) } });
    return new Map(rows.map((row) => [row.id, row.reference]));
  }

  /**
   * Whether `scope` may write to the ticket, checked before an agent's upload is read (issue 14):
   * not in the scope 404, a merchant scope 403, in that order like every write. Reads the ticket
   * row only, no personal data, so it is no audited view.
   */
  async assertWritable(scope: TenantScope, reference: string): Promise<void> {
    await findScopedTicket(this.dataSource.manager, scope, reference);
    assertStaffScope(scope);
  }

  /**
   * An agent's answer to the end user: stored as a reply (shown on the status page) and mailed
   * in the merchant's sender name. The first reply stops the first-response clock. A job
   * (the bulk send) replies in its system scope, in the name of the user who started it.
   */
  async reply(
    scope: TenantScope | SystemScope,
    reference: string,
    input: ReplyInput,
    actor: TicketActor,
    options: ReplyOptions = {},
  ): Promise<TicketChangeResult> {
    const body = validBody(input.body);
    if (input.nextStatus !== undefined && !isReplyNextStatus(input.nextStatus)) {
      throw new ValidationFailedException([
        { field: 'nextStatus', message: '指定できない状態です。' },
      ]);
    }
    return this.write(scope, reference, input.expectedVersion, async (manager, ticket, now) => {
      assertAcceptsAgentMessages(ticket, '終了したお問い合わせには返信できません。');
      // Issue 15: no "sent" for what cannot be sent. Nothing is stored; a call note records the phone.
      const mailTo = this.cipher.decryptNullable(ticket.requesterEmail);
      if (mailTo === null) throw replyUndeliverable();
      const answerVersionId =
        input.answerVersionId === undefined || input.answerVersionId === null
          ? null
          : await assertUsableAnswer(manager, ticket, input.answerVersionId);
      // Issue 13.1: a leak answer only where the ticket's current determination matches (409 else).
      if (answerVersionId !== null) {
        await this.replyGuard.assertAnswerAllowed(manager, ticket, answerVersionId);
      }
      const target = input.nextStatus ?? defaultStatusAfterReply(ticket.status);
      if (target !== ticket.status) assertTransition(ticket.status, target);
      const masked = maskCardNumbers(body);
      // Issue 13.1: a leak answer's text without its version id is checked all the same.
      if (answerVersionId === null) {
        const fill = this.answerFiller(manager, ticket, actor);
        await this.replyGuard.assertFreeTextAllowed(manager, ticket, masked.text, fill);
      }
      // Issue 13.2: did the approved answer go out verbatim or edited (the edit kept, encrypted)?
      const provenance =
        answerVersionId === null
          ? null
          : await this.answerProvenance(manager, ticket, answerVersionId, masked.text, actor);
      // Issue 15: the agent's signature under the text (after the provenance compared the text).
      const sent = withSignature(masked.text, await this.signatures.get(actor.userId, manager));
      const changes: TicketFieldChanges =
        target === ticket.status ? {} : statusChangeEffects(ticket, target, now);
      // The reply goes to the shopper's address: this is what reaches them, the first response.
      if (ticket.firstRespondedAt === null) changes.firstRespondedAt = now;
      const updated = await writeTicketChange(manager, ticket, changes, now);
      const messageId = await this.insertMessage(
        manager,
        ticket,
        'reply',
        sent,
        actor,
        'queued',
        now,
        answerVersionId,
      );
      const attachmentIds = await this.storeAttachments(manager, ticket, messageId, input);
      const correctsMessageId = options.correction?.correctsMessageId ?? null;
      if (provenance !== null || correctsMessageId !== null) {
        await manager.update(
          Message,
          { id: messageId },
          {
            ...(provenance ?? {}),
            ...(correctsMessageId === null ? {} : { correctsMessageId }),
          },
        );
      }
      const { senderName, siteName } = await this.sender(manager, ticket);
      await this.threadedMail.enqueue(
        manager,
        ticket,
        'requester',
        {
          ...replyMail({
            to: mailTo,
            senderName,
            siteName,
            requesterName: this.cipher.decryptNullable(ticket.requesterName),
            reference: ticket.reference,
            body: sent,
            messageId,
            correction: correctsMessageId !== null,
            statusLink: this.statusLinks.mailLinkOf(ticket),
          }),
          // The files go with the mail; the worker loads them when it sends.
          ...(attachmentIds.length === 0 ? {} : { attachmentIds }),
        },
        { at: now },
      );
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.ticketReplied, ticketAuditSubject(ticket), {
          messageId,
          from: ticket.status,
          to: updated.status,
          mailed: true,
          cardNumbersMasked: masked.masked,
          ...(answerVersionId === null ? {} : { answerVersionId }),
          ...(provenance === null ? {} : { answerProvenance: provenance.answerProvenance }),
          ...(correctsMessageId === null ? {} : { correctsMessageId }),
          ...(attachmentIds.length === 0 ? {} : { attachments: attachmentIds.length }),
          ...options.auditDetail,
        });
      await options.withinTransaction?.(manager, messageId);
      return { ticket: updated, kind: 'replied' };
    });
  }

  /** An internal note: never shown to the end user (not a public message kind), never mailed. */
  addNote(
    scope: TenantScope,
    reference: string,
    input: NoteInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    return this.addInternalEntry(scope, reference, input, actor, {
      kind: 'note',
      closedMessage: '終了したお問い合わせにはメモを追加できません。',
      action: AUDIT_ACTIONS.ticketNoteAdded,
      withAttachments: true,
    });
  }

  /**
   * What an agent told the shopper on the phone (issue 15), the way to answer a ticket without
   * an email address: a `call` message (internal, like every call entry; never mailed), the
   * status as after a note. It does not count as the first response by itself: a call that
   * reached the shopper is recorded as such by the phone desk.
   */
  addCallNote(
    scope: TenantScope,
    reference: string,
    input: NoteInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    return this.addInternalEntry(scope, reference, input, actor, {
      kind: 'call',
      closedMessage: '終了したお問い合わせには記録できません。',
      action: AUDIT_ACTIONS.ticketCallNoted,
      withAttachments: false,
    });
  }

  /** A note or a call note: an internal message, the status as after a note, audited. */
  private async addInternalEntry(
    scope: TenantScope,
    reference: string,
    input: NoteInput,
    actor: TicketActor,
    entry: {
      kind: 'note' | 'call';
      closedMessage: string;
      action: typeof AUDIT_ACTIONS.ticketNoteAdded | typeof AUDIT_ACTIONS.ticketCallNoted;
      withAttachments: boolean;
    },
  ): Promise<TicketChangeResult> {
    const body = validBody(input.body);
    return this.write(scope, reference, input.expectedVersion, async (manager, ticket, now) => {
      assertAcceptsAgentMessages(ticket, entry.closedMessage);
      const masked = maskCardNumbers(body);
      const target = statusAfterNote(ticket.status);
      const changes = target === ticket.status ? {} : statusChangeEffects(ticket, target, now);
      const updated = await writeTicketChange(manager, ticket, changes, now);
      const messageId = await this.insertMessage(
        manager,
        ticket,
        entry.kind,
        masked.text,
        actor,
        null,
        now,
      );
      const attachmentIds = entry.withAttachments
        ? await this.storeAttachments(manager, ticket, messageId, input)
        : [];
      await this.audit.by(actor, manager, now).record(entry.action, ticketAuditSubject(ticket), {
        messageId,
        ...(target === ticket.status ? {} : { from: ticket.status, to: target }),
        cardNumbersMasked: masked.masked,
        ...(attachmentIds.length === 0 ? {} : { attachments: attachmentIds.length }),
      });
      return { ticket: updated, kind: 'note_added' };
    });
  }

  /**
   * A merchant user's answer to a ticket waiting on the merchant (`pending_merchant`): stored
   * as a `merchant_answer` message (never shown to the end user), and the ticket returns to the
   * queue as `open`.
   */
  async answerAsMerchant(
    scope: TenantScope,
    reference: string,
    input: NoteInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    const body = validBody(input.body);
    return this.write(
      scope,
      reference,
      input.expectedVersion,
      async (manager, ticket, now) => {
        if (ticket.status !== 'pending_merchant' || ticket.erasedAt !== null) {
          throw new DomainException(
            ErrorCode.InvalidStatusTransition,
            `「${TICKET_STATUS_LABELS.pending_merchant}」のお問い合わせにだけ回答できます。`,
          );
        }
        const masked = maskCardNumbers(body);
        const updated = await writeTicketChange(
          manager,
          ticket,
          statusChangeEffects(ticket, 'open', now),
          now,
        );
        const messageId = await this.insertMessage(
          manager,
          ticket,
          'merchant_answer',
          masked.text,
          actor,
          null,
          now,
        );
        await this.audit
          .by(actor, manager, now)
          .record(AUDIT_ACTIONS.ticketMerchantAnswered, ticketAuditSubject(ticket), {
            messageId,
            from: ticket.status,
            to: updated.status,
            cardNumbersMasked: masked.masked,
          });
        return { ticket: updated, kind: 'status_changed' };
      },
      'merchant',
    );
  }

  /**
   * An agent's question to the merchant: stored as a `merchant_query` message (the merchant reads
   * it in the portal; the end user never sees it), the ticket moves to pending_merchant (or stays
   * there: a further question), and each notification address gets a mail quoting the question.
   * The question must not carry the requester's name, email or phone (400): the mail goes to
   * shared mailboxes outside the desk's access control.
   */
  async askMerchant(
    scope: TenantScope,
    reference: string,
    input: NoteInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    const body = validBody(input.body);
    return this.write(scope, reference, input.expectedVersion, async (manager, ticket, now) => {
      assertAcceptsAgentMessages(ticket, '終了したお問い合わせでは加盟店に確認できません。');
      if (ticket.status !== 'pending_merchant') assertTransition(ticket.status, 'pending_merchant');
      assertNoRequesterData(body, {
        name: this.cipher.decryptNullable(ticket.requesterName),
        email: this.cipher.decryptNullable(ticket.requesterEmail),
        phone: this.cipher.decryptNullable(ticket.requesterPhone),
      });
      const masked = maskCardNumbers(body);
      const changes =
        ticket.status === 'pending_merchant'
          ? {}
          : statusChangeEffects(ticket, 'pending_merchant', now);
      const updated = await writeTicketChange(manager, ticket, changes, now);
      const messageId = await this.insertMessage(
        manager,
        ticket,
        'merchant_query',
        masked.text,
        actor,
        null,
        now,
      );
      const merchant = await manager
        .getRepository(Merchant)
        .findOneByOrFail({ id: ticket.merchantId });
      const addresses = notificationAddresses(merchant);
      for (const to of addresses) {
        // Threaded for the merchant: an answer by mail to its reply address lands as theirs.
        await this.threadedMail.enqueue(
          manager,
          ticket,
          'merchant',
          merchantQuestionMail({
            to,
            merchantName: merchant.name,
            reference: ticket.reference,
            category: ticket.category,
            portalUrl: `${this.config.http.deskPublicUrl}/portal/cases/${ticket.reference}`,
            question: masked.text,
          }),
          { at: now },
        );
      }
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.ticketMerchantQuestionAsked, ticketAuditSubject(ticket), {
          messageId,
          from: ticket.status,
          to: updated.status,
          merchantNotices: addresses.length,
          cardNumbersMasked: masked.masked,
        });
      return { ticket: updated, kind: 'merchant_question' };
    });
  }

  /**
   * A merchant user marks a handed-back case answered (they answered the shopper themselves).
   * The status stays handed_back; the case leaves the portal's open hand-backs and gets no
   * reminder. Only an open hand-back can be marked (409 otherwise).
   */
  async markHandBackAnswered(
    scope: TenantScope,
    reference: string,
    input: HandBackInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    return this.write(
      scope,
      reference,
      input.expectedVersion,
      async (manager, ticket, now) => {
        if (
          ticket.status !== 'handed_back' ||
          ticket.handedBackAt === null ||
          ticket.handBackAnsweredAt !== null
        ) {
          throw new DomainException(
            ErrorCode.InvalidStatusTransition,
            ticket.handBackAnsweredAt !== null && ticket.status === 'handed_back'
              ? 'このお問い合わせはすでに回答済みです。'
              : '貴社へお引き継ぎしたお問い合わせだけを回答済みにできます。',
          );
        }
        const updated = await writeTicketChange(
          manager,
          ticket,
          { handBackAnsweredAt: now, handBackAnsweredByUserId: actor.userId },
          now,
        );
        await this.audit
          .by(actor, manager, now)
          .record(AUDIT_ACTIONS.handBackAnswered, ticketAuditSubject(ticket), {
            handedBackAt: ticket.handedBackAt.toISOString(),
          });
        return { ticket: updated, kind: 'hand_back_answered' };
      },
      'merchant',
    );
  }

  async changeStatus(
    scope: TenantScope,
    reference: string,
    input: StatusChangeInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    if (!isTicketStatus(input.status)) {
      throw new ValidationFailedException([{ field: 'status', message: '指定できない状態です。' }]);
    }
    // Handing back also mails the end user and the merchant: one path does all of it.
    if (input.status === 'handed_back')
      return this.handBack(scope, reference, { expectedVersion: input.expectedVersion }, actor);
    return this.write(scope, reference, input.expectedVersion, async (manager, ticket, now) => {
      assertTransition(ticket.status, input.status);
      const updated = await writeTicketChange(
        manager,
        ticket,
        statusChangeEffects(ticket, input.status, now),
        now,
      );
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.ticketStatusChanged, ticketAuditSubject(ticket), {
          from: ticket.status,
          to: updated.status,
        });
      return { ticket: updated, kind: 'status_changed' };
    });
  }

  /** Category and priority; values outside the fixed lists are refused. */
  async update(
    scope: TenantScope,
    reference: string,
    input: TicketUpdateInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    const errors = [
      ...(input.category !== undefined && !isTicketCategory(input.category)
        ? [{ field: 'category', message: '指定できない種類です。' }]
        : []),
      ...(input.priority !== undefined && !isTicketPriority(input.priority)
        ? [{ field: 'priority', message: '指定できない優先度です。' }]
        : []),
    ];
    if (errors.length > 0) throw new ValidationFailedException(errors);
    return this.write(scope, reference, input.expectedVersion, async (manager, ticket, now) => {
      const changes: TicketFieldChanges = {};
      const changed: Record<string, { from: string; to: string }> = {};
      if (input.category !== undefined && input.category !== ticket.category) {
        changes.category = input.category;
        changed.category = { from: ticket.category, to: input.category };
      }
      if (input.priority !== undefined && input.priority !== ticket.priority) {
        changes.priority = input.priority;
        changed.priority = { from: ticket.priority, to: input.priority };
      }
      if (Object.keys(changes).length === 0) return null;
      // Issue 15: the due times follow the merchant's SLA policy for the new priority/category,
      // counted from the ticket's birth as at intake.
      const dues = await this.slaPolicies.duesFor(
        manager,
        {
          merchantId: ticket.merchantId,
          priority: changes.priority ?? ticket.priority,
          category: changes.category ?? ticket.category,
        },
        ticket.createdAt,
      );
      const updated = await writeTicketChange(manager, ticket, { ...changes, ...dues }, now);
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.ticketUpdated, ticketAuditSubject(ticket), { changed });
      return { ticket: updated, kind: 'updated' };
    });
  }

  /**
   * Returns an out-of-scope inquiry to the merchant: status handed_back, a templated reply to
   * the end user that repeats the form's promise (the shop answers; stored and mailed), and a
   * notice to each of the merchant's notification addresses. The case is then open in the
   * merchant's portal until a merchant user marks it answered (reminded once after the
   * merchant's number of business days).
   */
  async handBack(
    scope: TenantScope,
    reference: string,
    input: HandBackInput,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    return this.write(scope, reference, input.expectedVersion, async (manager, ticket, now) => {
      assertTransition(ticket.status, 'handed_back');
      const merchant = await manager
        .getRepository(Merchant)
        .findOneByOrFail({ id: ticket.merchantId });
      const site =
        ticket.siteId === null
          ? null
          : await manager.getRepository(Site).findOneBy({ id: ticket.siteId });
      const text = handBackReplyText({
        merchantName: merchant.name,
        contactUrl: site?.contactUrl ?? null,
        contactText: site?.contactText ?? null,
      });
      const mailTo = this.cipher.decryptNullable(ticket.requesterEmail);
      const changes: TicketFieldChanges = {
        ...statusChangeEffects(ticket, 'handed_back', now),
        // A new hand-back (also after a reopening) is open for the merchant again.
        handedBackAt: now,
        handBackAnsweredAt: null,
        handBackAnsweredByUserId: null,
        handBackRemindedAt: null,
      };
      // Issue 15: without an address nothing reaches the shopper: no reply stored, no first response.
      if (mailTo !== null && ticket.firstRespondedAt === null) changes.firstRespondedAt = now;
      const updated = await writeTicketChange(manager, ticket, changes, now);
      const messageId =
        mailTo === null
          ? null
          : await this.insertMessage(manager, ticket, 'reply', text, actor, 'queued', now);
      if (mailTo !== null && messageId !== null) {
        await this.threadedMail.enqueue(
          manager,
          ticket,
          'requester',
          replyMail({
            to: mailTo,
            senderName: site?.senderName ?? merchant.name,
            siteName: site?.displayName ?? merchant.name,
            requesterName: this.cipher.decryptNullable(ticket.requesterName),
            reference: ticket.reference,
            body: text,
            messageId,
            statusLink: this.statusLinks.mailLinkOf(ticket),
          }),
          { at: now },
        );
      }
      const notified = merchant.notificationEmails.filter((address) => address.trim() !== '');
      for (const address of notified) {
        await this.outbox.enqueueMail(
          manager,
          merchantHandBackMail({
            to: address,
            merchantName: merchant.name,
            siteName: site?.displayName ?? null,
            reference: ticket.reference,
            category: ticket.category,
            portalUrl: `${this.config.http.deskPublicUrl}/portal/cases/${ticket.reference}`,
          }),
          now,
        );
      }
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.ticketHandedBack, ticketAuditSubject(ticket), {
          from: ticket.status,
          messageId,
          mailedEndUser: mailTo !== null,
          merchantNotices: notified.length,
        });
      return { ticket: updated, kind: 'handed_back' };
    });
  }

  /**
   * The frame of every write: one transaction that reads the scoped ticket, checks the
   * client's version, applies `work` (which writes through writeTicketChange) and commits;
   * the change event goes out after commit. `work` returning null means nothing to change.
   * `work` updates the ticket row before inserting rows that reference it: the UPDATE's
   * exclusive lock comes first, so a concurrent writer waits and then finds the version moved
   * (StaleVersion) instead of deadlocking on the foreign key's shared lock.
   */
  private async write(
    scope: TenantScope | SystemScope,
    reference: string,
    expectedVersion: number | undefined,
    work: (manager: EntityManager, ticket: Ticket, now: Date) => Promise<Written | null>,
    writer: 'staff' | 'merchant' = 'staff',
  ): Promise<TicketChangeResult> {
    const now = this.clock.now();
    const { ticket, written } = await runTransaction(this.dataSource, async (manager) => {
      const current = await findScopedTicket(manager, scope, reference);
      // Found first, refused second: another merchant's ticket stays a 404, never a 403.
      if (writer === 'staff') assertStaffScope(scope);
      else if (scope.kind !== 'merchant') {
        throw new DomainException(ErrorCode.Forbidden, '加盟店のアカウントで回答してください。');
      }
      assertExpectedVersion(current, expectedVersion);
      return { ticket: current, written: await work(manager, current, now) };
    }).catch((error: unknown) => {
      // Two writers of one ticket that still collide in InnoDB: the loser met a concurrent edit.
      throw isLockConflict(error) ? staleVersion() : error;
    });
    if (written === null) return changeResultOf(ticket);
    const updated = written.ticket;
    this.events.emit(
      'ticket.changed',
      new TicketChangedEvent(
        updated.id,
        updated.reference,
        updated.merchantId,
        updated.queueId,
        written.kind,
        updated.version,
      ),
    );
    return changeResultOf(updated);
  }

  /**
   * Why the mails of the ticket's failed replies did not arrive: the last error of the dead
   * outbox job that carried each (a bounce marks its job dead with the reason too). Only read
   * when a reply failed, which is rare; a job erased or unreadable gives no reason.
   */
  private async deliveryFailures(
    manager: EntityManager,
    ticket: Ticket,
    messages: readonly Message[],
  ): Promise<Map<number, string>> {
    const reasons = new Map<number, string>();
    if (!messages.some((message) => message.deliveryState === 'failed')) return reasons;
    const jobs = await manager.getRepository(OutboxJob).find({
      select: { id: true, payload: true, lastError: true },
      where: { ticketId: ticket.id, status: 'dead' },
      order: { id: 'ASC' },
    });
    for (const job of jobs) {
      if (job.lastError === null) continue;
      try {
        const { messageId } = this.outbox.readMail(job);
        if (messageId !== undefined) reasons.set(messageId, job.lastError);
      } catch {
        // A payload that cannot be opened any more (a retired key) simply gives no reason.
      }
    }
    return reasons;
  }

  /** An agent's files on the message just written (same transaction); their ids. */
  private async storeAttachments(
    manager: EntityManager,
    ticket: Ticket,
    messageId: number,
    input: { attachments?: readonly CleanFile[] },
  ): Promise<number[]> {
    if (!input.attachments?.length) return [];
    const owner = { ticketId: ticket.id, messageId, merchantId: ticket.merchantId };
    const stored = await this.attachments.store(manager, owner, input.attachments);
    return stored.map((attachment) => attachment.id);
  }

  private async insertMessage(
    manager: EntityManager,
    ticket: Ticket,
    kind: 'reply' | 'note' | 'call' | 'merchant_query' | 'merchant_answer',
    text: string,
    actor: TicketActor,
    deliveryState: 'queued' | null,
    now: Date,
    answerVersionId: number | null = null,
  ): Promise<number> {
    const result = await manager.insert(Message, {
      ticketId: ticket.id,
      kind,
      authorUserId: actor.userId,
      body: this.cipher.encrypt(text),
      deliveryState,
      answerVersionId,
      createdAt: now,
    });
    return Number(result.identifiers[0]?.id);
  }

  /**
   * Issue 13.2, the provenance step of {@link reply}: the approved version's text filled in
   * for this ticket exactly as the agent's page inserts it (the canned placeholders, the
   * acting user as `{{agent}}`) compared with the text sent. Equal after whitespace
   * normalisation: `verbatim`. Otherwise `edited`, with the character diff from the filled
   * text to the text sent kept encrypted (it holds the requester's name and the agent's words).
   */
  /** Fills an answer version's placeholders for this ticket as a reply by `actor` would. */
  private answerFiller(
    manager: EntityManager,
    ticket: Ticket,
    actor: TicketActor,
  ): (body: string) => Promise<string> {
    let context: Promise<Parameters<typeof renderCannedResponse>[1]> | null = null;
    return async (body) => {
      context ??= Promise.all([
        manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
        ticket.siteId === null
          ? null
          : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
        this.userSummary(manager, actor.userId),
      ]).then(([merchant, site, agent]) => ({
        name: this.cipher.decryptNullable(ticket.requesterName),
        reference: ticket.reference,
        merchant: merchant.name,
        site: site?.displayName ?? merchant.name,
        agent: agent?.displayName ?? null,
      }));
      return renderCannedResponse(body, await context);
    };
  }

  private async answerProvenance(
    manager: EntityManager,
    ticket: Ticket,
    answerVersionId: number,
    sentText: string,
    actor: TicketActor,
  ): Promise<{ answerProvenance: AnswerProvenance; answerDiff: string | null }> {
    const version = await manager.findOneByOrFail(AnswerTemplateVersion, { id: answerVersionId });
    const [merchant, site, agent] = await Promise.all([
      manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
      ticket.siteId === null ? null : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
      this.userSummary(manager, actor.userId),
    ]);
    const approvedText = renderCannedResponse(version.body, {
      name: this.cipher.decryptNullable(ticket.requesterName),
      reference: ticket.reference,
      merchant: merchant.name,
      site: site?.displayName ?? merchant.name,
      agent: agent?.displayName ?? null,
    });
    if (sameTextIgnoringWhitespace(approvedText, sentText)) {
      return { answerProvenance: 'verbatim', answerDiff: null };
    }
    const diff = compactDiff(
      diffChars(approvedText.replace(/\r\n?/g, '\n'), sentText.replace(/\r\n?/g, '\n')),
    );
    return { answerProvenance: 'edited', answerDiff: this.cipher.encrypt(JSON.stringify(diff)) };
  }

  private async sender(
    manager: EntityManager,
    ticket: Ticket,
  ): Promise<{ senderName: string; siteName: string }> {
    const site =
      ticket.siteId === null
        ? null
        : await manager.getRepository(Site).findOneBy({ id: ticket.siteId });
    if (site) return { senderName: site.senderName, siteName: site.displayName };
    // A phone ticket may have no site: the merchant's name stands in.
    const merchant = await manager
      .getRepository(Merchant)
      .findOneByOrFail({ id: ticket.merchantId });
    return { senderName: merchant.name, siteName: merchant.name };
  }

  private async userSummary(
    manager: EntityManager,
    id: number,
  ): Promise<{ id: number; displayName: string } | null> {
    const user = await manager
      .getRepository(User)
      .findOne({ select: { id: true, displayName: true }, where: { id } });
    return user ? { id: user.id, displayName: user.displayName } : null;
  }
}

/**
 * The answer version a reply may record: approved for the ticket's merchant, of a template of
 * the ticket's incident, and the newest approved version of that template (an older one was
 * superseded; the page offers only the newest). Anything else: 409 ANSWER_NOT_APPROVED.
 */
async function assertUsableAnswer(
  manager: EntityManager,
  ticket: Ticket,
  versionId: number,
): Promise<number> {
  const answer = await findApprovedVersionIn(manager, ticket.merchantId, versionId);
  if (!answer || ticket.incidentId === null || answer.incidentId !== ticket.incidentId) {
    throw new DomainException(
      ErrorCode.AnswerNotApproved,
      'この回答は、このお問い合わせの加盟店に承認されていません。承認済みの回答を選び直してください。',
    );
  }
  const newest = await newestApprovedVersions(manager, ticket.merchantId, [answer.templateId]);
  if (newest.get(answer.templateId)?.versionId !== answer.versionId) {
    throw new DomainException(
      ErrorCode.AnswerNotApproved,
      'この回答には新しい承認済みの版があります。ページを読み込み直して新しい版を挿入してください。',
    );
  }
  return answer.versionId;
}

/** Issue 15: a reply to a ticket without an email address cannot reach anyone (409). */
function replyUndeliverable(): DomainException {
  return new DomainException(
    ErrorCode.ReplyUndeliverable,
    'このお問い合わせにはメールアドレスがないため、返信を届けられません。電話で伝えた内容は「電話で伝えた内容を記録」から記録してください。',
  );
}

/** Closed, handed-back and erased tickets take no more replies or notes (409). */
function assertAcceptsAgentMessages(ticket: Ticket, message: string): void {
  if (ticket.erasedAt !== null || !acceptsAgentMessages(ticket.status)) {
    throw new DomainException(ErrorCode.InvalidStatusTransition, message);
  }
}

/**
 * A question to the merchant is quoted in mail to shared mailboxes: it must not carry the
 * requester's name, email or phone number (compared without spaces, case and phone punctuation).
 */
function assertNoRequesterData(
  body: string,
  requester: { name: string | null; email: string | null; phone: string | null },
): void {
  const compact = body.replace(/\s+/gu, '').toLowerCase();
  const digits = body.replace(/[^0-9]/gu, '');
  const name = requester.name?.replace(/\s+/gu, '').toLowerCase() ?? '';
  const email = requester.email?.trim().toLowerCase() ?? '';
  const phone = requester.phone?.replace(/[^0-9]/gu, '') ?? '';
  const found =
    (name.length >= 2 && compact.includes(name)) ||
    (email !== '' && compact.includes(email)) ||
    (phone.length >= 8 && digits.includes(phone));
  if (found) {
    throw new ValidationFailedException([
      {
        field: 'body',
        message:
          'お客様の個人情報（氏名・メールアドレス・電話番号）を書かないでください。確認事項は加盟店の通知先メールにそのまま引用されます。',
      },
    ]);
  }
}

/** Trimmed, non-empty, at most MESSAGE_BODY_MAX_LENGTH characters. */
export function validBody(body: unknown): string {
  // One kind of line ending in every stored text: browsers post CRLF, the API may send either.
  const text = typeof body === 'string' ? normaliseLineEndings(body).trim() : '';
  if (text === '')
    throw new ValidationFailedException([{ field: 'body', message: '本文を入力してください。' }]);
  if (text.length > MESSAGE_BODY_MAX_LENGTH) {
    throw new ValidationFailedException([
      {
        field: 'body',
        message: `本文は${MESSAGE_BODY_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
      },
    ]);
  }
  return text;
}
