import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { DomainException, ErrorCode, NotFoundException, runTransaction } from '@madoguchi/common';
import { FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { Merchant, Site } from '@madoguchi/tenancy';
import { CustomerRepliedEvent } from '../events/ticket-created.event';
import { maskCardNumbers } from '../inquiry/card-number-mask.util';
import { Message, PUBLIC_MESSAGE_KINDS } from '../message/message.entity';
import { nextSlaDueAt } from '../sla/sla-state.util';
import type { TicketCategory, TicketStatus } from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';

export interface StatusPageMessage {
  kind: 'customer' | 'reply';
  body: string;
  createdAt: Date;
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
}

/** Statuses from which an end user's reply brings the ticket back to the agents. */
const REOPENED_BY_CUSTOMER: readonly TicketStatus[] = ['pending_customer', 'resolved'];
/** Finished tickets take no more replies: the end user is pointed to a new inquiry. */
const FINISHED: readonly TicketStatus[] = ['closed', 'handed_back'];

/** The end user's view of one ticket, reached only with its secret status token. */
@Injectable()
export class StatusPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

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
    await this.audit.record(this.dataSource.manager, {
      actor: { type: 'end_user' },
      action: AUDIT_ACTIONS.ticketStatusPageViewed,
      merchantId: ticket.merchantId,
      target: { type: 'ticket', id: ticket.reference },
      ip,
    });
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
        })),
      acceptsReplies: !FINISHED.includes(ticket.status),
    };
  }

  /** Adds the end user's message; a ticket waiting on them or resolved goes back to the agents. */
  async addCustomerReply(token: string, text: string, ip: string | null): Promise<void> {
    const ticket = await this.ticketByToken(token);
    if (FINISHED.includes(ticket.status)) {
      throw new DomainException(ErrorCode.TicketFinished, 'このお問い合わせは終了しています。');
    }
    const now = new Date();
    await runTransaction(this.dataSource, async (manager) => {
      await manager.insert(Message, {
        ticketId: ticket.id,
        kind: 'customer',
        authorUserId: null,
        body: this.cipher.encrypt(maskCardNumbers(text).text),
        deliveryState: null,
        createdAt: now,
      });
      const reopen = REOPENED_BY_CUSTOMER.includes(ticket.status);
      // Guarded by the status read above, so a concurrent agent change is not overwritten.
      await manager
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
        .where('id = :id AND status = :status', { id: ticket.id, status: ticket.status })
        .execute();
      await this.audit.record(
        manager,
        {
          actor: { type: 'end_user' },
          action: AUDIT_ACTIONS.ticketCustomerReplied,
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
          ip,
          detail: reopen ? { reopenedFrom: ticket.status } : undefined,
        },
        now,
      );
    });
    this.events.emit(
      CustomerRepliedEvent.eventName,
      new CustomerRepliedEvent(ticket.id, ticket.merchantId, ticket.queueId),
    );
  }

  private async ticketByToken(token: string): Promise<Ticket> {
    // Only well-formed tokens reach the database; the lookup is by digest, never by the token.
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFoundException();
    const ticket = await this.dataSource
      .getRepository(Ticket)
      .findOneBy({ statusTokenHash: hashSecretToken(token) });
    if (!ticket || ticket.erasedAt !== null) throw new NotFoundException();
    return ticket;
  }
}
