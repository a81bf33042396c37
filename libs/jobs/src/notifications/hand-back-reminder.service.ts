import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OutboxService } from '@madoguchi/mail';
import { Merchant, notificationAddresses } from '@madoguchi/tenancy';
import { handBackReminderDueAt, Ticket, handBackReminderMail } from '@madoguchi/tickets';

/** Cases reminded in one run at most; the next run takes the rest. */
const BATCH = 200;

/**
 * Reminds a merchant, once per case, that a handed-back case is still not marked answered
 * after the merchant's number of business days (Merchant.handBackReminderDays, default 3, by
 * the business calendar). The mail to the notification addresses carries the reference,
 * category and dates only, never the shopper's data.
 *
 * "Reminded" is the ticket's handBackRemindedAt, claimed by a conditional UPDATE (… WHERE
 * hand_back_reminded_at IS NULL AND hand_back_answered_at IS NULL) in the transaction that queues
 * the mails and writes `handback.reminder_sent`: of two instances, only one claims a case. The
 * claim does not bump the ticket's version (it changes nothing an agent edits). A new hand-back
 * clears it. A merchant without notification addresses is not marked, so adding an address
 * later still sends the reminder.
 */
@Injectable()
export class HandBackReminderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
  ) {}

  /** Returns how many cases were reminded in this call. */
  async sendDue(now: Date = this.clock.now()): Promise<number> {
    const candidates = await this.dataSource.getRepository(Ticket).find({
      select: { id: true, merchantId: true, handedBackAt: true },
      where: {
        status: 'handed_back',
        handedBackAt: Not(IsNull()),
        handBackAnsweredAt: IsNull(),
        handBackRemindedAt: IsNull(),
      },
      order: { handedBackAt: 'ASC', id: 'ASC' },
      take: BATCH,
    });
    if (candidates.length === 0) return 0;
    const merchantIds = [...new Set(candidates.map((ticket) => ticket.merchantId))];
    const merchants = new Map(
      (
        await this.dataSource.getRepository(Merchant).find({
          where: merchantIds.map((id) => ({ id })),
        })
      ).map((merchant) => [merchant.id, merchant]),
    );
    let count = 0;
    for (const candidate of candidates) {
      const merchant = merchants.get(candidate.merchantId);
      if (!merchant || notificationAddresses(merchant).length === 0) continue;
      const dueAt = handBackReminderDueAt(
        this.calendar,
        candidate.handedBackAt as Date,
        merchant.handBackReminderDays,
      );
      if (now.getTime() < dueAt.getTime()) continue;
      if (await this.remindOne(candidate.id, merchant, now)) count++;
    }
    return count;
  }

  private remindOne(ticketId: number, merchant: Merchant, now: Date): Promise<boolean> {
    return runTransaction(this.dataSource, async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(Ticket)
        .set({ handBackRemindedAt: now })
        .where('id = :ticketId', { ticketId })
        .andWhere('status = :status', { status: 'handed_back' })
        .andWhere('hand_back_reminded_at IS NULL')
        .andWhere('hand_back_answered_at IS NULL')
        .execute();
      if (claimed.affected !== 1) return false;
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: ticketId });
      const addresses = notificationAddresses(merchant);
      for (const to of addresses) {
        await this.outbox.enqueueMail(
          manager,
          handBackReminderMail({
            to,
            merchantName: merchant.name,
            reference: ticket.reference,
            category: ticket.category,
            handedBackOn: this.calendar.tokyoDate(ticket.handedBackAt as Date),
            businessDays: merchant.handBackReminderDays,
            portalUrl: `${this.config.http.deskPublicUrl}/portal/cases/${ticket.reference}`,
          }),
          now,
        );
      }
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.handBackReminderSent,
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
          detail: { mails: addresses.length, businessDays: merchant.handBackReminderDays },
        },
        now,
      );
      return true;
    });
  }
}
