import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  DeskEventBus,
  DomainException,
  ErrorCode,
  inquiriesTotal,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  Site,
  Queue,
  assertStaffScope,
  scopedQueueQuery,
  type TicketActor,
  type TenantScope,
} from '@madoguchi/tenancy';
import { TicketChangedEvent } from '../events/ticket-changed.event';
import { Message } from '../message/message.entity';
import { type StoredPhone, TicketOpeningService } from '../opening/ticket-opening.service';
import type { TicketCategory } from '../ticket/ticket.constant';
import type { Ticket } from '../ticket/ticket.entity';
import { acceptsAgentMessages } from '../ticket/ticket-status.rules';
import { findScopedTicket, writeTicketChange } from '../ticket/ticket-write.util';

export interface PhoneTicketInput {
  merchantId: number;
  /** The site the caller keyed in; kept only when it belongs to `merchantId`. */
  siteId: number | null;
  category: TicketCategory;
  /** Plain text, encrypted here; null when the caller gave none. */
  requesterName: string | null;
  requesterPhone: StoredPhone | null;
  /** The agent spoke with the caller: the call was the first response. */
  answered: boolean;
  /** The `call` message's text (summary, times, outcome, recording). */
  callMessage: string;
  /** The call log row, for the audit trail. */
  callId: number;
}

export interface CallMessageInput {
  /** The merchant the agent chose; the ticket must belong to it. */
  merchantId: number;
  callMessage: string;
  callId: number;
}

/** What a wrap-up wrote, for what follows its commit ({@link PhoneTicketService.announce}). */
export interface PhoneTicketWritten {
  ticket: Ticket;
  created: boolean;
}

/**
 * Phone tickets: a ticket made from a call (channel phone, status open, no status link and so no
 * mail) and the `call` message that a call leaves on a ticket. Both run inside the caller's
 * transaction (the call log row is updated with them) and take the tenant scope: the merchant
 * must be one whose queue the agent works, the ticket one the agent can see.
 */
@Injectable()
export class PhoneTicketService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly opening: TicketOpeningService,
    private readonly events: DeskEventBus,
  ) {}

  async createFromCall(
    manager: EntityManager,
    scope: TenantScope,
    input: PhoneTicketInput,
    actor: TicketActor,
    now: Date,
  ): Promise<Ticket> {
    assertStaffScope(scope);
    const queue = await this.queueFor(manager, scope, input.merchantId);
    const site =
      input.siteId === null
        ? null
        : await manager.getRepository(Site).findOneBy({ id: input.siteId });
    const { ticket } = await this.opening.open(
      manager,
      {
        channel: 'phone',
        merchantId: input.merchantId,
        siteId: site !== null && site.merchantId === input.merchantId ? site.id : null,
        queueId: queue.id,
        category: input.category,
        status: 'open',
        assigneeId: actor.userId,
        requester: {
          name: input.requesterName,
          email: null,
          phone: input.requesterPhone,
          orderNumber: null,
        },
        // No status link: a phone caller gets no mail, and no token exists to find the ticket by.
        statusTokenHash: null,
        firstResponded: input.answered,
        firstMessage: { kind: 'call', authorUserId: actor.userId, text: input.callMessage },
        audit: {
          actor: { type: 'user', id: actor.userId },
          ip: actor.ip,
          detail: (messageId) => ({ callId: input.callId, category: input.category, messageId }),
        },
      },
      now,
    );
    return ticket;
  }

  /**
   * Adds a call's `call` message to an existing ticket of the scope. Unknown or out-of-scope
   * references are 404; a ticket of another merchant than the one chosen is a 400 (reference);
   * closed, handed-back and erased tickets take no more entries (409).
   */
  async addCallMessage(
    manager: EntityManager,
    scope: TenantScope,
    reference: string,
    input: CallMessageInput,
    actor: TicketActor,
    now: Date,
  ): Promise<Ticket> {
    const ticket = await findScopedTicket(manager, scope, reference);
    assertStaffScope(scope);
    if (ticket.merchantId !== input.merchantId) {
      throw new ValidationFailedException([
        { field: 'reference', message: '選んだ加盟店のお問い合わせではありません。' },
      ]);
    }
    if (ticket.erasedAt !== null || !acceptsAgentMessages(ticket.status)) {
      throw new DomainException(
        ErrorCode.InvalidStatusTransition,
        '終了したお問い合わせには通話を紐づけられません。',
      );
    }
    // The ticket row first (version bump, exclusive lock), then the rows that reference it.
    const updated = await writeTicketChange(manager, ticket, {}, now);
    await this.insertCallMessage(manager, ticket, input.callMessage, actor, now);
    return updated;
  }

  /** After commit: a new ticket is counted; a call added to a ticket is a change event. */
  announce(written: PhoneTicketWritten): void {
    const { ticket } = written;
    if (written.created) {
      inquiriesTotal.inc({ merchant_id: String(ticket.merchantId), channel: 'phone' });
      return;
    }
    this.events.emit(
      'ticket.changed',
      new TicketChangedEvent(
        ticket.id,
        ticket.reference,
        ticket.merchantId,
        ticket.queueId,
        'note_added',
        ticket.version,
      ),
    );
  }

  /** The merchant's default queue if the agent works it, else the first of its queues they do. */
  private async queueFor(
    manager: EntityManager,
    scope: TenantScope,
    merchantId: number,
  ): Promise<Queue> {
    const queue = await scopedQueueQuery(manager, scope)
      .andWhere('queue.merchantId = :merchantId', { merchantId })
      .orderBy('queue.isDefault', 'DESC')
      .addOrderBy('queue.id', 'ASC')
      .getOne();
    if (!queue) {
      throw new ValidationFailedException([
        { field: 'merchantId', message: '担当できる加盟店を選んでください。' },
      ]);
    }
    return queue;
  }

  private async insertCallMessage(
    manager: EntityManager,
    ticket: Ticket,
    text: string,
    actor: TicketActor,
    now: Date,
  ): Promise<number> {
    const result = await manager.insert(Message, {
      ticketId: ticket.id,
      kind: 'call',
      authorUserId: actor.userId,
      body: this.cipher.encrypt(text),
      deliveryState: null,
      createdAt: now,
    });
    return Number(result.identifiers[0]?.id);
  }
}
