import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, type AuditActor, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { newestAffectingIncidentId } from '@madoguchi/incidents';
import { probableDuplicateOf } from '../merge/probable-duplicate.util';
import { Message, type MessageKind } from '../message/message.entity';
import { nextSlaDueAt } from '../sla/sla-state.util';
import { IntakeRulesService } from '../rules/intake-rules.service';
import { intakeRulesAppliedText } from '../rules/rules.texts';
import { SlaPolicyService } from '../sla-policy/sla-policy.service';
import {
  TICKET_PRIORITY_RANK,
  type TicketCategory,
  type TicketChannel,
  type TicketPriority,
  type TicketStatus,
} from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import { generateTicketReference } from '../ticket/ticket-reference.util';

/** A value already stored elsewhere (the call log's number): ciphertext and blind index, copied as they are. */
export interface StoredPhone {
  ciphertext: string;
  index: string | null;
}

/** The requester as the channel knows them, in plain text; encrypted and blind-indexed here. */
export interface OpeningRequester {
  name: string | null;
  email: string | null;
  phone: string | StoredPhone | null;
  orderNumber: string | null;
}

/** Everything a channel decides about a new ticket; the rest is the same for every channel. */
export interface TicketOpening {
  channel: TicketChannel;
  merchantId: number;
  /** Only a site of `merchantId`: the channel checks it. */
  siteId: number | null;
  queueId: number;
  category: TicketCategory;
  /** The channel's own priority, if it has one; the intake rules start from it (default normal). */
  priority?: TicketPriority;
  /** `new` when nobody has looked at it yet, `open` when an agent opened it (a call). */
  status: Extract<TicketStatus, 'new' | 'open'>;
  assigneeId: number | null;
  requester: OpeningRequester;
  /** The end user's status link (hashed), or null when the channel gives none (phone). */
  statusTokenHash: string | null;
  /** The same token sealed (StatusLinkService.issue), so every mail can repeat the link. */
  sealedStatusToken?: string | null;
  /** The opening was itself the first response (an answered call). */
  firstResponded: boolean;
  /** The first message, plain text (encrypted here); masking card numbers is the channel's. */
  firstMessage: { kind: MessageKind; authorUserId: number | null; text: string };
  /** The `ticket.created` audit event: who opened it, from where, and the channel's facts. */
  audit: {
    actor: AuditActor;
    ip: string | null;
    /** The event's detail after `channel`; given the first message's id. */
    detail: (firstMessageId: number) => Record<string, unknown>;
  };
}

export interface OpenedTicket {
  ticket: Ticket;
  firstMessageId: number;
}

/** Collisions are near impossible (31^8 values); check anyway rather than fail the request. */
const REFERENCE_ATTEMPTS = 5;

/**
 * The birth of a ticket, the same for every channel (web form and API, phone, and the coming
 * email): a fresh reference, the newest incident affecting the merchant, the SLA due times on
 * the business calendar, the ticket row, its first message and the `ticket.created` audit
 * event, all in the caller's transaction. What differs (queue, status, requester, mail) is the
 * channel's.
 */
@Injectable()
export class TicketOpeningService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditService,
    private readonly rules: IntakeRulesService,
    private readonly slaPolicies: SlaPolicyService,
  ) {}

  async open(manager: EntityManager, opening: TicketOpening, now: Date): Promise<OpenedTicket> {
    // The intake rules first (docs/rules.md): what follows uses their priority and category.
    const { priority, category, appliedRuleIds, applied } = await this.rules.decide(
      manager,
      opening,
    );
    const { requester } = opening;
    // The merchant's SLA policy for the final priority and category (issue 15).
    const { firstResponseDueAt, resolutionDueAt } = await this.slaPolicies.duesFor(
      manager,
      { merchantId: opening.merchantId, priority, category },
      now,
    );
    const firstRespondedAt = opening.firstResponded ? now : null;
    const phone = this.storedPhone(requester.phone);
    const emailIndex = requester.email === null ? null : this.blindIndex.email(requester.email);
    const ticket = manager.create(Ticket, {
      reference: await this.unusedReference(manager),
      merchantId: opening.merchantId,
      siteId: opening.siteId,
      queueId: opening.queueId,
      channel: opening.channel,
      category,
      // Incident mode: a new ticket of an affected merchant is about the newest such incident.
      incidentId: await newestAffectingIncidentId(manager, opening.merchantId),
      status: opening.status,
      priority,
      priorityRank: TICKET_PRIORITY_RANK[priority],
      assigneeId: opening.assigneeId,
      requesterName: this.cipher.encryptNullable(requester.name),
      requesterEmail: this.cipher.encryptNullable(requester.email),
      requesterEmailIndex: emailIndex,
      requesterPhone: phone.ciphertext,
      requesterPhoneIndex: phone.index,
      orderNumber: this.cipher.encryptNullable(requester.orderNumber),
      orderNumberIndex:
        requester.orderNumber === null ? null : this.blindIndex.orderNumber(requester.orderNumber),
      statusTokenHash: opening.statusTokenHash,
      statusToken: opening.sealedStatusToken ?? null,
      firstResponseDueAt,
      firstRespondedAt,
      resolutionDueAt,
      slaDueAt: nextSlaDueAt({
        status: opening.status,
        firstRespondedAt,
        firstResponseDueAt,
        resolutionDueAt,
      }),
      resolvedAt: null,
      closedAt: null,
      erasedAt: null,
      // Issue 15: the same requester's earlier ticket of this site within 24 hours, if any.
      probableDuplicateOfId: await probableDuplicateOf(
        manager,
        { siteId: opening.siteId, emailIndex, phoneIndex: phone.index },
        now,
      ),
      createdAt: now,
      updatedAt: now,
    });
    await manager.save(ticket);
    const inserted = await manager.insert(Message, {
      ticketId: ticket.id,
      kind: opening.firstMessage.kind,
      authorUserId: opening.firstMessage.authorUserId,
      body: this.cipher.encrypt(opening.firstMessage.text),
      deliveryState: null,
      createdAt: now,
    });
    const firstMessageId = Number(inserted.identifiers[0]?.id);
    if (applied.length > 0) {
      // The ticket's history says which rules set what (never shown to the end user).
      await manager.insert(Message, {
        ticketId: ticket.id,
        kind: 'system',
        authorUserId: null,
        body: this.cipher.encrypt(intakeRulesAppliedText(applied, priority, category)),
        deliveryState: null,
        createdAt: now,
      });
    }
    await this.audit.record(
      manager,
      {
        actor: opening.audit.actor,
        action: AUDIT_ACTIONS.ticketCreated,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        ip: opening.audit.ip,
        detail: {
          channel: opening.channel,
          ...opening.audit.detail(firstMessageId),
          ...(appliedRuleIds.length === 0
            ? {}
            : { rules: appliedRuleIds, priority, category, requestedCategory: opening.category }),
        },
      },
      now,
    );
    return { ticket, firstMessageId };
  }

  private storedPhone(phone: OpeningRequester['phone']): {
    ciphertext: string | null;
    index: string | null;
  } {
    if (phone === null) return { ciphertext: null, index: null };
    if (typeof phone !== 'string') return phone;
    return { ciphertext: this.cipher.encrypt(phone), index: this.blindIndex.phone(phone) };
  }

  private async unusedReference(manager: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const reference = generateTicketReference();
      if (!(await manager.getRepository(Ticket).existsBy({ reference }))) return reference;
    }
    throw new DomainException(ErrorCode.Internal, 'could not allocate a ticket reference');
  }
}
