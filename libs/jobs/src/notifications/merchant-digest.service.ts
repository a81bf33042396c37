import { Injectable } from '@nestjs/common';
import { Between, DataSource, type EntityManager, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import {
  Clock,
  previousTokyoDay,
  runTransaction,
  type TokyoDay,
  tokyoDayOf,
  tokyoHourOf,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OutboxService } from '@madoguchi/mail';
import { Merchant, lockMerchant, notificationAddresses } from '@madoguchi/tenancy';
import { Ticket, merchantDigestMail } from '@madoguchi/tickets';

/** References listed in one digest at most; the total is always given. */
const MAX_LISTED = 50;

/**
 * The daily digest to each merchant's notification addresses: for the previous Tokyo day the
 * new, resolved and moved-to-merchant counts, and the tickets waiting on the merchant now,
 * by reference only. Sent once per Tokyo day, from config.jobs.digestHour on.
 *
 * "Sent that day" is the audit event `merchant.digest_sent` with the Tokyo date as target id,
 * checked and written in the transaction that queues the mails while the merchant row is
 * locked (SELECT … FOR UPDATE on MariaDB; SQLite is serialised by runTransaction): of two
 * instances running at once, the second waits for the lock, then sees the event and sends
 * nothing. No schema change was needed.
 */
@Injectable()
export class MerchantDigestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Returns how many merchants got their digest in this call. */
  async sendDue(now: Date = this.clock.now()): Promise<number> {
    if (tokyoHourOf(now) < this.config.jobs.digestHour) return 0;
    const today = tokyoDayOf(now).date;
    const merchants = await this.dataSource
      .getRepository(Merchant)
      .find({ select: { id: true, notificationEmails: true }, order: { id: 'ASC' } });
    const candidates = merchants.filter((merchant) => notificationAddresses(merchant).length > 0);
    if (candidates.length === 0) return 0;
    const sent = await this.dataSource.getRepository(AuditEvent).find({
      select: { merchantId: true },
      where: {
        action: AUDIT_ACTIONS.merchantDigestSent,
        targetId: today,
        merchantId: In(candidates.map((merchant) => merchant.id)),
      },
    });
    const sentTo = new Set(sent.map((event) => event.merchantId));
    let count = 0;
    for (const merchant of candidates) {
      if (sentTo.has(merchant.id)) continue;
      if (await this.sendOne(merchant.id, today, now)) count++;
    }
    return count;
  }

  private sendOne(merchantId: number, today: string, now: Date): Promise<boolean> {
    return runTransaction(this.dataSource, async (manager) => {
      const merchant = await lockMerchant(manager, merchantId);
      if (!merchant) return false;
      const addresses = notificationAddresses(merchant);
      if (addresses.length === 0) return false;
      const already = await manager.getRepository(AuditEvent).exists({
        where: { action: AUDIT_ACTIONS.merchantDigestSent, merchantId, targetId: today },
      });
      if (already) return false;
      const day = previousTokyoDay(now);
      const counts = await this.dayCounts(manager, merchantId, day);
      const waiting = await manager.getRepository(Ticket).find({
        select: { id: true, reference: true, category: true },
        where: { merchantId, status: 'pending_merchant' },
        order: { id: 'ASC' },
        take: MAX_LISTED,
      });
      const waitingTotal = await manager
        .getRepository(Ticket)
        .countBy({ merchantId, status: 'pending_merchant' });
      for (const to of addresses) {
        await this.outbox.enqueueMail(
          manager,
          merchantDigestMail({
            to,
            merchantName: merchant.name,
            date: day.date,
            ...counts,
            waitingOnMerchant: waiting.map(({ reference, category }) => ({ reference, category })),
            waitingOnMerchantTotal: waitingTotal,
            portalUrl: `${this.config.http.deskPublicUrl}/portal`,
          }),
          now,
        );
      }
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.merchantDigestSent,
          merchantId,
          target: { type: 'merchant_digest', id: today },
          detail: { reportedDay: day.date, mails: addresses.length, ...counts, waitingTotal },
        },
        now,
      );
      return true;
    });
  }

  private async dayCounts(
    manager: EntityManager,
    merchantId: number,
    day: TokyoDay,
  ): Promise<{ newCount: number; resolvedCount: number; movedToMerchantCount: number }> {
    const within = Between(day.start, new Date(day.end.getTime() - 1));
    const tickets = manager.getRepository(Ticket);
    const [newCount, resolvedCount, changes] = await Promise.all([
      tickets.countBy({ merchantId, createdAt: within }),
      tickets.countBy({ merchantId, resolvedAt: within }),
      // Moves to pending_merchant are facts of the audit trail (status change or reply).
      manager.getRepository(AuditEvent).find({
        select: { targetId: true, detail: true },
        where: {
          merchantId,
          action: In([
            AUDIT_ACTIONS.ticketStatusChanged,
            AUDIT_ACTIONS.ticketReplied,
            AUDIT_ACTIONS.ticketMerchantQuestionAsked,
          ]),
          createdAt: within,
        },
      }),
    ]);
    const moved = new Set(
      changes
        .filter((event) => movedToPendingMerchant(event.detail))
        .map((event) => event.targetId),
    );
    return { newCount, resolvedCount, movedToMerchantCount: moved.size };
  }
}

/** Whether an audit detail records a move into pending_merchant (`{from, to}`). */
export function movedToPendingMerchant(detail: string | null): boolean {
  if (!detail) return false;
  try {
    const parsed = JSON.parse(detail) as { from?: unknown; to?: unknown };
    return parsed.to === 'pending_merchant' && parsed.from !== 'pending_merchant';
  } catch {
    return false;
  }
}
