import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  DomainException,
  ErrorCode,
  inquiriesTotal,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { newestAffectingIncidentId } from '@madoguchi/incidents';
import {
  Site,
  Queue,
  assertStaffScope,
  scopedQueueQuery,
  type TicketActor,
  type TicketScope,
} from '@madoguchi/tenancy';
import { TicketChangedEvent } from '../events/ticket-changed.event';
import { TicketCreatedEvent } from '../events/ticket-created.event';
import { Message } from '../message/message.entity';
import { SLA_TARGET_HOURS } from '../sla/sla-policy.constant';
import { nextSlaDueAt } from '../sla/sla-state.util';
import type { TicketCategory } from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import { generateTicketReference } from '../ticket/ticket-reference.util';
import { acceptsAgentMessages } from '../ticket/ticket-status.rules';
import { findScopedTicket, writeTicketChange } from '../ticket/ticket-write.util';

/** The caller's number as the call log stores it: ciphertext and blind index, copied as they are. */
export interface StoredPhone {
  ciphertext: string;
  index: string | null;
}

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

/** What a wrap-up wrote, for the events sent after commit. */
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
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  async createFromCall(
    manager: EntityManager,
    scope: TicketScope,
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
    const firstResponseDueAt = this.calendar.addBusinessHours(now, SLA_TARGET_HOURS.firstResponse);
    const resolutionDueAt = this.calendar.addBusinessHours(now, SLA_TARGET_HOURS.resolution);
    const firstRespondedAt = input.answered ? now : null;
    const reference = await this.unusedReference(manager);
    const ticket = manager.create(Ticket, {
      reference,
      merchantId: input.merchantId,
      siteId: site !== null && site.merchantId === input.merchantId ? site.id : null,
      queueId: queue.id,
      channel: 'phone',
      category: input.category,
      incidentId: await newestAffectingIncidentId(manager, input.merchantId),
      status: 'open',
      priority: 'normal',
      assigneeId: actor.userId,
      requesterName: this.cipher.encryptNullable(input.requesterName),
      requesterEmail: null,
      requesterEmailIndex: null,
      requesterPhone: input.requesterPhone?.ciphertext ?? null,
      requesterPhoneIndex: input.requesterPhone?.index ?? null,
      orderNumber: null,
      orderNumberIndex: null,
      // No status link: a phone caller gets no mail, and no token exists to find the ticket by.
      statusTokenHash: null,
      firstResponseDueAt,
      firstRespondedAt,
      resolutionDueAt,
      slaDueAt: nextSlaDueAt({
        status: 'open',
        firstRespondedAt,
        firstResponseDueAt,
        resolutionDueAt,
      }),
      resolvedAt: null,
      closedAt: null,
      erasedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await manager.save(ticket);
    const messageId = await this.insertCallMessage(manager, ticket, input.callMessage, actor, now);
    await this.audit.record(
      manager,
      {
        actor: { type: 'user', id: actor.userId },
        action: AUDIT_ACTIONS.ticketCreated,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        ip: actor.ip,
        detail: { channel: 'phone', callId: input.callId, category: input.category, messageId },
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
    scope: TicketScope,
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

  /** After commit: live views and listeners hear of the new or changed ticket. */
  announce(written: PhoneTicketWritten): void {
    const { ticket } = written;
    if (written.created) {
      this.events.emit(
        TicketCreatedEvent.eventName,
        new TicketCreatedEvent(ticket.id, ticket.merchantId, ticket.queueId, 'phone'),
      );
      inquiriesTotal.inc({ merchant_id: String(ticket.merchantId), channel: 'phone' });
      return;
    }
    this.events.emit(
      TicketChangedEvent.eventName,
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
    scope: TicketScope,
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

  private async unusedReference(manager: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const reference = generateTicketReference();
      if (!(await manager.getRepository(Ticket).existsBy({ reference }))) return reference;
    }
    throw new DomainException(ErrorCode.Internal, 'could not allocate a ticket reference');
  }
}
