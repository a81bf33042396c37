import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, DomainException, ErrorCode, runTransaction } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { Merchant, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import { Message } from '../message/message.entity';
import type { TicketCategory, TicketChannel } from '../ticket/ticket.constant';
import { findScopedTicket } from '../ticket/ticket-write.util';
import { handBackReminderDueAt } from './hand-back-due.util';

/** A case's hand-back as the portal shows it (no personal data). */
export interface HandBackState {
  handedBackAt: Date;
  answeredAt: Date | null;
  answeredBy: string | null;
  remindedAt: Date | null;
  /** When the one reminder is (or was) due, from the merchant's setting. */
  reminderDueAt: Date;
}

/** What the merchant needs to answer the shopper: revealed on request, audited. */
export interface HandBackContact {
  name: string | null;
  email: string | null;
  phone: string | null;
  orderNumber: string | null;
  /** The shopper's own messages (kind customer), oldest first. */
  messages: { id: number; body: string | null; createdAt: Date }[];
}

/** A row of the portal's hand-back list: reference and dates only. */
export interface HandBackListItem {
  reference: string;
  category: TicketCategory;
  channel: TicketChannel;
  createdAt: Date;
  handedBackAt: Date;
  answeredAt: Date | null;
  remindedAt: Date | null;
  reminderDueAt: Date;
}

/** What waits on the merchant: the portal home's counts. */
export interface MerchantWaitingCounts {
  questions: number;
  handBacks: number;
}

const LIST_LIMIT = 200;

/**
 * The merchant's side of hand-backs in the portal: the list of open (or answered) handed-back
 * cases, the counts on the portal home, a case's hand-back state, and the shopper's contact and
 * message as an audited view (`handback.contact_viewed`, in the same transaction as the read).
 * Marking a case answered is a ticket write: TicketWorkService.markHandBackAnswered. Every read
 * goes through the scoped ticket query: another merchant's case is 404.
 */
@Injectable()
export class HandBackService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
  ) {}

  async counts(scope: TenantScope): Promise<MerchantWaitingCounts> {
    const manager = this.dataSource.manager;
    const [questions, handBacks] = await Promise.all([
      scopedTicketQuery(manager, scope)
        .andWhere('ticket.status = :status', { status: 'pending_merchant' })
        .getCount(),
      scopedTicketQuery(manager, scope)
        .andWhere('ticket.status = :status', { status: 'handed_back' })
        .andWhere('ticket.handedBackAt IS NOT NULL')
        .andWhere('ticket.handBackAnsweredAt IS NULL')
        .getCount(),
    ]);
    return { questions, handBacks };
  }

  /** Open hand-backs (oldest first), or the answered ones (newest answer first). */
  async list(scope: TenantScope, state: 'open' | 'answered'): Promise<HandBackListItem[]> {
    const manager = this.dataSource.manager;
    const query = scopedTicketQuery(manager, scope)
      .andWhere('ticket.status = :status', { status: 'handed_back' })
      .andWhere('ticket.handedBackAt IS NOT NULL');
    if (state === 'open') {
      query.andWhere('ticket.handBackAnsweredAt IS NULL').orderBy('ticket.handedBackAt', 'ASC');
    } else {
      query
        .andWhere('ticket.handBackAnsweredAt IS NOT NULL')
        .orderBy('ticket.handBackAnsweredAt', 'DESC');
    }
    const tickets = await query.addOrderBy('ticket.id', 'ASC').take(LIST_LIMIT).getMany();
    const days = await this.reminderDaysOf(tickets.map((ticket) => ticket.merchantId));
    return tickets.map((ticket) => {
      const handedBackAt = ticket.handedBackAt as Date;
      return {
        reference: ticket.reference,
        category: ticket.category,
        channel: ticket.channel,
        createdAt: ticket.createdAt,
        handedBackAt,
        answeredAt: ticket.handBackAnsweredAt,
        remindedAt: ticket.handBackRemindedAt,
        reminderDueAt: handBackReminderDueAt(
          this.calendar,
          handedBackAt,
          days.get(ticket.merchantId) ?? 3,
        ),
      };
    });
  }

  /** The case's hand-back, or null when it was never handed back (or before issue 13). */
  async stateOf(scope: TenantScope, reference: string): Promise<HandBackState | null> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    if (ticket.status !== 'handed_back' || ticket.handedBackAt === null) return null;
    const days = await this.reminderDaysOf([ticket.merchantId]);
    const answeredBy =
      ticket.handBackAnsweredByUserId === null
        ? null
        : ((
            await manager.getRepository(User).findOne({
              select: { id: true, displayName: true },
              where: { id: ticket.handBackAnsweredByUserId },
            })
          )?.displayName ?? null);
    return {
      handedBackAt: ticket.handedBackAt,
      answeredAt: ticket.handBackAnsweredAt,
      answeredBy,
      remindedAt: ticket.handBackRemindedAt,
      reminderDueAt: handBackReminderDueAt(
        this.calendar,
        ticket.handedBackAt,
        days.get(ticket.merchantId) ?? 3,
      ),
    };
  }

  /**
   * The shopper's contact and message for a handed-back case, read and audited in one
   * transaction (`handback.contact_viewed` with the user and IP). Merchant users only; a case
   * that was not handed back is 409, another merchant's 404.
   */
  async revealContact(
    scope: TenantScope,
    reference: string,
    actor: TicketActor,
  ): Promise<HandBackContact> {
    return runTransaction(this.dataSource, async (manager) => {
      const ticket = await findScopedTicket(manager, scope, reference);
      if (scope.kind !== 'merchant') {
        throw new DomainException(ErrorCode.Forbidden, '加盟店のアカウントで表示してください。');
      }
      if (
        ticket.status !== 'handed_back' ||
        ticket.handedBackAt === null ||
        ticket.erasedAt !== null
      ) {
        throw new DomainException(
          ErrorCode.InvalidStatusTransition,
          '貴社へお引き継ぎしたお問い合わせだけ、連絡先とお問い合わせ内容を表示できます。',
        );
      }
      const messages = await manager.getRepository(Message).find({
        select: { id: true, body: true, createdAt: true },
        where: { ticketId: ticket.id, kind: 'customer', body: Not(IsNull()) },
        order: { id: 'ASC' },
      });
      const now = this.clock.now();
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.handBackContactViewed,
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
          ip: actor.ip,
          detail: { messages: messages.length },
        },
        now,
      );
      return {
        name: this.cipher.decryptNullable(ticket.requesterName),
        email: this.cipher.decryptNullable(ticket.requesterEmail),
        phone: this.cipher.decryptNullable(ticket.requesterPhone),
        orderNumber: this.cipher.decryptNullable(ticket.orderNumber),
        messages: messages.map((message) => ({
          id: message.id,
          body: this.cipher.decryptNullable(message.body),
          createdAt: message.createdAt,
        })),
      };
    });
  }

  private async reminderDaysOf(merchantIds: number[]): Promise<Map<number, number>> {
    const unique = [...new Set(merchantIds)];
    if (unique.length === 0) return new Map();
    const merchants = await this.dataSource.getRepository(Merchant).find({
      select: { id: true, handBackReminderDays: true },
      where: unique.map((id) => ({ id })),
    });
    return new Map(merchants.map((merchant) => [merchant.id, merchant.handBackReminderDays]));
  }
}
