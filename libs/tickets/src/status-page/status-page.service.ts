import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull, MoreThanOrEqual } from 'typeorm';
import { AUDIT_ACTIONS, type AuditActor, AuditEvent, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  Clock,
  DomainException,
  ErrorCode,
  isLockConflict,
  NotFoundException,
  runTransaction,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { Merchant, Site } from '@madoguchi/tenancy';
import { AttachmentService } from '../attachment/attachment.service';
import type { AttachmentInfo, CleanFile } from '../attachment/attachment.type';
import { maskCardNumbers } from '../inquiry/card-number-mask.util';
import { survivorOf } from '../merge/merged-survivor.util';
import { Message, PUBLIC_MESSAGE_KINDS } from '../message/message.entity';
import { type ExpectedFirstAnswer, expectedFirstAnswer } from '../sla/expected-answer.util';
import { nextSlaDueAt } from '../sla/sla-state.util';
import type { TicketCategory, TicketStatus } from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import { staleVersion } from '../ticket/ticket-write.util';
import { tokenHashOf } from './status-token.util';

export interface StatusPageMessage {
  kind: 'customer' | 'reply';
  body: string;
  createdAt: Date;
  /** A reply that a later correction replaced (issue 13.3). */
  corrected?: boolean;
  /** A correction of an earlier reply. */
  correction?: boolean;
  /** The message's files (names and sizes; the bytes by token and id). */
  attachments: AttachmentInfo[];
}

/** What the end user may see of their own ticket, and nothing more. */
export interface StatusPageView {
  reference: string;
  status: TicketStatus;
  category: TicketCategory;
  createdAt: Date;
  site: Site;
  merchant: Merchant;
  messages: StatusPageMessage[];
  acceptsReplies: boolean;
  /** When the first answer is due, while the shopper still waits for it (else null). */
  expectedAnswer: ExpectedFirstAnswer | null;
}

/** Who sent a customer message and how, for its audit event. */
export interface CustomerReplyOrigin {
  actor: AuditActor;
  ip: string | null;
  /** The channel's non-personal facts for the audit detail (e.g. `{ via: 'mail' }`). */
  detail?: Record<string, unknown>;
}

export interface WrittenCustomerReply {
  /** The ticket as read before the reply. */
  ticket: Ticket;
  messageId: number;
  /** The status the reply reopened the ticket from, or null when it stayed as it was. */
  reopenedFrom: TicketStatus | null;
}

/** Statuses from which an end user's reply brings the ticket back to the agents. */
const REOPENED_BY_CUSTOMER: readonly TicketStatus[] = ['pending_customer', 'resolved'];
/** Finished tickets take no more replies: the end user is pointed to a new inquiry. */
const FINISHED: readonly TicketStatus[] = ['closed', 'handed_back'];
/** A customer reply that met a concurrent change is tried once more, then refused. */
const CUSTOMER_REPLY_ATTEMPTS = 2;

/**
 * Views of one ticket's status page from one address within this many minutes leave one audit
 * row: a reload loop (or a script with a leaked link) cannot grow the audit trail without bound.
 */
export const STATUS_PAGE_VIEW_AUDIT_MINUTES = 10;

/** The end user's view of one ticket, reached only with its secret status token. */
@Injectable()
export class StatusPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly attachments: AttachmentService,
    private readonly calendar: BusinessCalendar,
  ) {}

  /** The first view of each {@link STATUS_PAGE_VIEW_AUDIT_MINUTES} window per ticket and address is audited. */
  private async auditView(
    ticket: Ticket,
    ip: string | null,
    now = this.clock.now(),
  ): Promise<void> {
    const since = new Date(now.getTime() - STATUS_PAGE_VIEW_AUDIT_MINUTES * 60_000);
    const seen = await this.dataSource.getRepository(AuditEvent).exists({
      where: {
        action: AUDIT_ACTIONS.ticketStatusPageViewed,
        createdAt: MoreThanOrEqual(since),
        targetType: 'ticket',
        targetId: ticket.reference,
        ip: ip ?? IsNull(),
      },
    });
    if (seen) return;
    await this.audit.record(
      this.dataSource.manager,
      {
        actor: { type: 'end_user' },
        action: AUDIT_ACTIONS.ticketStatusPageViewed,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        ip,
      },
      now,
    );
  }

  async view(token: string, ip: string | null): Promise<StatusPageView> {
    const ticket = await this.ticketByToken(token);
    const [site, merchant, messages] = await Promise.all([
      this.dataSource.getRepository(Site).findOneByOrFail({ id: ticket.siteId ?? -1 }),
      this.dataSource.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
      this.dataSource.getRepository(Message).find({
        where: { ticketId: ticket.id, kind: In([...PUBLIC_MESSAGE_KINDS]) },
        order: { id: 'ASC' },
      }),
    ]);
    await this.auditView(ticket, ip);
    const files = await this.attachments.listForMessages(
      this.dataSource.manager,
      messages.map((message) => message.id),
    );
    // Issue 13.3: the replies a correction replaced, marked so the end user reads on.
    const corrected = new Set(
      messages.flatMap((message) =>
        message.correctsMessageId === null ? [] : [message.correctsMessageId],
      ),
    );
    return {
      reference: ticket.reference,
      status: ticket.status,
      category: ticket.category,
      createdAt: ticket.createdAt,
      site,
      merchant,
      messages: messages
        .filter((message) => message.body !== null)
        .map((message) => ({
          kind: message.kind as 'customer' | 'reply',
          body: this.cipher.decrypt(message.body as string),
          createdAt: message.createdAt,
          ...(corrected.has(message.id) ? { corrected: true } : {}),
          ...(message.correctsMessageId === null ? {} : { correction: true }),
          attachments: files.get(message.id) ?? [],
        })),
      acceptsReplies: !FINISHED.includes(ticket.status),
      expectedAnswer: expectedFirstAnswer(ticket, this.clock.now(), this.calendar),
    };
  }

  /**
   * Adds the end user's message; a ticket waiting on them or resolved goes back to the agents.
   * The ticket is read, updated and the message inserted in one transaction: the UPDATE is
   * conditional on the version read, so if an agent changed the ticket in between it touches
   * no row, the transaction rolls back (no message without its status change) and the whole
   * reply is tried once more on the ticket as it now stands.
   */
  async addCustomerReply(
    token: string,
    text: string,
    ip: string | null,
    files: readonly CleanFile[] = [],
  ): Promise<void> {
    const tokenHash = tokenHashOf(token);
    await retryCustomerReply(() =>
      runTransaction(this.dataSource, async (manager) => {
        const ticket = await manager
          .getRepository(Ticket)
          .findOneBy({ statusTokenHash: tokenHash });
        if (!ticket) throw new NotFoundException();
        const written = await this.writeCustomerReply(manager, ticket, text, {
          actor: { type: 'end_user' },
          ip,
          detail: files.length > 0 ? { attachments: files.length } : undefined,
        });
        // Checked files (AttachmentInspector) with their message: both commit or neither.
        const owner = { ticketId: ticket.id, messageId: written.messageId };
        await this.attachments.store(manager, { ...owner, merchantId: ticket.merchantId }, files);
        return written;
      }),
    );
  }

  /**
   * The end user's message on `ticket` (read in this transaction), the same for every way it
   * arrives (the status page, a mail reply): the reopen rule, the conditional UPDATE, the
   * message (card numbers masked, encrypted) and the audit event. A ticket changed since it was
   * read throws what {@link retryCustomerReply} retries; run the caller's transaction in it.
   */
  async writeCustomerReply(
    manager: EntityManager,
    ticket: Ticket,
    text: string,
    origin: CustomerReplyOrigin,
  ): Promise<WrittenCustomerReply> {
    if (ticket.erasedAt !== null) throw new NotFoundException();
    if (FINISHED.includes(ticket.status)) {
      throw new DomainException(ErrorCode.TicketFinished, 'このお問い合わせは終了しています。');
    }
    const now = this.clock.now();
    const reopen = REOPENED_BY_CUSTOMER.includes(ticket.status);
    // The ticket row first (its lock before the message's foreign key), and only as read here:
    // a concurrent agent change makes this touch no row instead of being overwritten.
    const result = await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({
        updatedAt: now,
        // Reopening restarts the SLA clock at the deadline it had (docs/tickets.md).
        ...(reopen
          ? {
              status: 'open' as TicketStatus,
              resolvedAt: null,
              slaDueAt: nextSlaDueAt({ ...ticket, status: 'open' }),
            }
          : {}),
        version: () => 'version + 1',
      })
      .where('id = :id AND version = :version', { id: ticket.id, version: ticket.version })
      .execute();
    // mysql2 reports affectedRows, better-sqlite3 changes: TypeORM maps both to `affected`.
    if (result.affected !== 1) throw new ConcurrentTicketChange();
    const inserted = await manager.insert(Message, {
      ticketId: ticket.id,
      kind: 'customer',
      authorUserId: null,
      body: this.cipher.encrypt(maskCardNumbers(text).text),
      deliveryState: null,
      createdAt: now,
    });
    const messageId = Number(inserted.identifiers[0]?.id);
    await this.audit.record(
      manager,
      {
        actor: origin.actor,
        action: AUDIT_ACTIONS.ticketCustomerReplied,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        ip: origin.ip,
        detail:
          reopen || origin.detail
            ? { ...origin.detail, ...(reopen ? { reopenedFrom: ticket.status } : {}) }
            : undefined,
      },
      now,
    );
    return { ticket, messageId, reopenedFrom: reopen ? ticket.status : null };
  }

  /**
   * Issue 15: the status page a merged ticket's link leads to (the survivor's, following later
   * merges), as a path of the intake; null when the token's ticket was not merged (or the
   * survivor has no link to give). The shopper's old link keeps working.
   */
  async mergedStatusPath(token: string): Promise<string | null> {
    const manager = this.dataSource.manager;
    const ticket = await manager
      .getRepository(Ticket)
      .findOneBy({ statusTokenHash: tokenHashOf(token) });
    if (!ticket || ticket.mergedIntoId === null) return null;
    const survivor = await survivorOf(manager, ticket);
    if (survivor.id === ticket.id || survivor.erasedAt !== null || survivor.statusToken === null) {
      return null;
    }
    return `/status/${this.cipher.decrypt(survivor.statusToken)}`;
  }

  private async ticketByToken(token: string): Promise<Ticket> {
    const ticket = await this.dataSource
      .getRepository(Ticket)
      .findOneBy({ statusTokenHash: tokenHashOf(token) });
    if (!ticket || ticket.erasedAt !== null) throw new NotFoundException();
    return ticket;
  }
}

export { tokenHashOf };

/** The ticket changed between reading it and the conditional UPDATE: roll back and retry. */
class ConcurrentTicketChange extends Error {}

/**
 * Runs a transaction holding {@link StatusPageService.writeCustomerReply} once more when it met
 * a concurrent change of the ticket; a second collision is StaleVersion (409).
 */
export async function retryCustomerReply<T>(attemptOnce: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce();
    } catch (error) {
      const raced = error instanceof ConcurrentTicketChange || isLockConflict(error);
      if (!raced) throw error;
      if (attempt >= CUSTOMER_REPLY_ATTEMPTS) throw staleVersion();
    }
  }
}
