import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import { Clock, OnDeskEvent, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { Merchant, notificationAddresses } from '@madoguchi/tenancy';
import {
  TicketChangedEvent,
  Ticket,
  ThreadedMailService,
  merchantQuestionMail,
} from '@madoguchi/tickets';
import { movedToPendingMerchant } from './merchant-digest.service';

/**
 * Mails the merchant at once when a ticket moves to pending_merchant (an agent's question to
 * the merchant), by listening to the after-commit change event rather than touching
 * TicketWorkService. The event fires only in the instance that made the change, so the mail
 * is queued once. A crash between the change's commit and this transaction loses the notice;
 * the daily digest still lists the ticket.
 */
@Injectable()
export class MerchantQuestionListener {
  private readonly logger = new Logger(MerchantQuestionListener.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly threadedMail: ThreadedMailService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @OnDeskEvent('ticket.changed')
  async onTicketChanged(event: TicketChangedEvent): Promise<void> {
    if (event.kind !== 'status_changed' && event.kind !== 'replied') return;
    try {
      await this.notify(event);
    } catch (error) {
      this.logger.error(
        `ticket ${event.reference}: merchant question notice failed (${String(error)})`,
      );
    }
  }

  private async notify(event: TicketChangedEvent): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const ticket = await manager.getRepository(Ticket).findOneBy({ id: event.ticketId });
      // Only the state this change produced: a later change has its own event.
      if (ticket?.status !== 'pending_merchant' || ticket.version !== event.version) return;
      // Was it a move into pending_merchant? The change's own audit row says from and to.
      const change = await manager.getRepository(AuditEvent).findOne({
        select: { id: true, detail: true },
        where: {
          action: In([AUDIT_ACTIONS.ticketStatusChanged, AUDIT_ACTIONS.ticketReplied]),
          targetId: ticket.reference,
          merchantId: ticket.merchantId,
        },
        order: { id: 'DESC' },
      });
      if (!change || !movedToPendingMerchant(change.detail)) return;
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
            portalUrl: `${this.config.http.deskPublicUrl}/portal`,
          }),
          { at: now },
        );
      }
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.merchantQuestionNotified,
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
          detail: { mails: addresses.length },
        },
        now,
      );
    });
  }
}
