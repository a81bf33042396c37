import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import { Clock, runTransaction, tokyoDayOf } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OutboxService } from '@madoguchi/mail';
import { Merchant, lockMerchant, notificationAddresses } from '@madoguchi/tenancy';
import { supportEndedMail } from '@madoguchi/tickets';

/**
 * Tells a merchant, once, that its support period has ended. The intake already refuses new
 * inquiries (410) and open tickets stay workable; this only sends the notice.
 *
 * "Notified" is remembered without a schema change: the audit event
 * `merchant.support_ended_notified`, whose target id is the end instant (ISO). It is checked
 * and written in the transaction that queues the mails, under a lock on the merchant row, so
 * two instances cannot both send. A later, moved end date is a new end and is notified again.
 */
@Injectable()
export class SupportPeriodService {
  private readonly logger = new Logger(SupportPeriodService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Returns how many merchants were notified by this call. */
  async notifyEnded(now: Date = this.clock.now()): Promise<number> {
    const ended = await this.dataSource.getRepository(Merchant).find({
      select: { id: true, supportEndsAt: true },
      where: { supportEndsAt: LessThanOrEqual(now) },
      order: { id: 'ASC' },
    });
    if (ended.length === 0) return 0;
    // A cheap pre-filter, so the minute timer does not lock every ended merchant each run;
    // the decision itself is taken again under the lock.
    const done = await this.dataSource.getRepository(AuditEvent).find({
      select: { merchantId: true, targetId: true },
      where: {
        action: AUDIT_ACTIONS.merchantSupportEndedNotified,
        merchantId: In(ended.map((merchant) => merchant.id)),
      },
    });
    const doneKeys = new Set(done.map((event) => `${event.merchantId}:${event.targetId}`));
    let notified = 0;
    for (const merchant of ended) {
      const endKey = (merchant.supportEndsAt as Date).toISOString();
      if (doneKeys.has(`${merchant.id}:${endKey}`)) continue;
      if (await this.notifyOne(merchant.id, now)) notified++;
    }
    return notified;
  }

  private notifyOne(merchantId: number, now: Date): Promise<boolean> {
    return runTransaction(this.dataSource, async (manager) => {
      const merchant = await lockMerchant(manager, merchantId);
      if (!merchant?.supportEndsAt || merchant.supportEndsAt.getTime() > now.getTime()) {
        return false;
      }
      const endKey = merchant.supportEndsAt.toISOString();
      const already = await manager.getRepository(AuditEvent).exists({
        where: {
          action: AUDIT_ACTIONS.merchantSupportEndedNotified,
          merchantId,
          targetId: endKey,
        },
      });
      if (already) return false;
      const addresses = notificationAddresses(merchant);
      for (const to of addresses) {
        await this.outbox.enqueueMail(
          manager,
          supportEndedMail({
            to,
            merchantName: merchant.name,
            endedOn: tokyoDayOf(merchant.supportEndsAt).date,
            portalUrl: `${this.config.http.deskPublicUrl}/portal`,
          }),
          now,
        );
      }
      // Recorded even without addresses: there is nobody to tell, and the marker stops retries.
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.merchantSupportEndedNotified,
          merchantId,
          target: { type: 'merchant_support_end', id: endKey },
          detail: { mails: addresses.length },
        },
        now,
      );
      this.logger.log(`merchant ${merchantId}: support end notified (${addresses.length} mail(s))`);
      return true;
    });
  }
}
