import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import { Clock, isUniqueViolation, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OutboxService } from '@madoguchi/mail';
import type { TicketActor } from '@madoguchi/tenancy';
import type { Ticket } from '../ticket/ticket.entity';
import { bulkViewAlertMail } from './bulk-view-alert-mail.template';
import { BulkViewAlert } from './bulk-view-alert.entity';

/** The window the distinct ticket views of one user are counted in, and alerted at most once. */
export const BULK_VIEW_WINDOW_MS = 60 * 60 * 1000;

/**
 * The audited view of a ticket's personal data (`ticket.viewed`), and the alert on bulk viewing:
 * when one user has viewed more distinct tickets than BULK_VIEW_ALERT_THRESHOLD within the last
 * hour, an audit event `bulk_view.alert` and a mail to every active admin (outbox), at most once
 * per user per hour across every desk instance (a conditional UPDATE on the user's claim row).
 */
@Injectable()
export class TicketViewAuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Records the view (before the caller answers with the data), then checks the threshold. */
  async recordView(
    ticket: Pick<Ticket, 'merchantId' | 'reference'>,
    actor: TicketActor,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    const at = this.clock.now();
    await runTransaction(this.dataSource, (manager) =>
      this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.ticketViewed,
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
          ip: actor.ip,
          ...(detail ? { detail } : {}),
        },
        at,
      ),
    );
    await this.checkBulkViews(actor, at);
  }

  /** Raises the alert if the user is over the threshold and none was raised in the last hour. */
  async checkBulkViews(actor: TicketActor, at: Date = this.clock.now()): Promise<boolean> {
    const threshold = this.config.auth.bulkViewAlertThreshold;
    const since = new Date(at.getTime() - BULK_VIEW_WINDOW_MS);
    const distinctTickets = await this.distinctTicketsViewed(actor.userId, since);
    if (distinctTickets <= threshold) return false;
    await this.ensureClaimRow(actor.userId);
    return runTransaction(this.dataSource, async (manager) => {
      // The claim: only one request, on any instance, moves alerted_at out of the last hour.
      const claimed = await manager
        .createQueryBuilder()
        .update(BulkViewAlert)
        .set({ alertedAt: at, distinctTickets })
        .where('userId = :userId', { userId: actor.userId })
        .andWhere('alertedAt <= :since', { since })
        .execute();
      if (claimed.affected !== 1) return false;
      const users = manager.getRepository(User);
      const viewer = await users.findOneByOrFail({ id: actor.userId });
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.bulkViewAlert,
          merchantId: viewer.merchantId,
          target: { type: 'user', id: viewer.id },
          ip: actor.ip,
          detail: { distinctTickets, threshold, windowMinutes: BULK_VIEW_WINDOW_MS / 60_000 },
        },
        at,
      );
      const admins = await users.find({
        select: { id: true, email: true },
        where: { role: 'admin', disabledAt: IsNull() },
        order: { id: 'ASC' },
      });
      for (const admin of admins) {
        await this.outbox.enqueueMail(
          manager,
          bulkViewAlertMail({
            to: admin.email,
            viewer: {
              id: viewer.id,
              displayName: viewer.displayName,
              email: viewer.email,
              role: viewer.role,
            },
            distinctTickets,
            threshold,
            at,
            auditUrl: `${this.config.http.deskPublicUrl}/supervisor/audit?actorId=${viewer.id}`,
          }),
          at,
        );
      }
      return true;
    });
  }

  private async distinctTicketsViewed(userId: number, since: Date): Promise<number> {
    const row = await this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .select('COUNT(DISTINCT event.targetId)', 'count')
      .where('event.actorId = :userId', { userId })
      .andWhere('event.action = :action', { action: AUDIT_ACTIONS.ticketViewed })
      .andWhere("event.actorType = 'user'")
      .andWhere('event.createdAt > :since', { since })
      .getRawOne<{ count: number | string }>();
    return Number(row?.count ?? 0);
  }

  /**
   * The user's claim row, made once (long ago, so the first claim matches). Its own short
   * transaction, committed before the claim: on MySQL a duplicate insert inside the claim's
   * transaction would hold a shared lock that two concurrent claims deadlock on; on SQLite
   * runTransaction keeps it out of another request's open transaction.
   */
  private async ensureClaimRow(userId: number): Promise<void> {
    if (await this.dataSource.getRepository(BulkViewAlert).existsBy({ userId })) return;
    try {
      await runTransaction(this.dataSource, (manager) =>
        manager.insert(BulkViewAlert, { userId, alertedAt: new Date(0), distinctTickets: 0 }),
      );
    } catch (error) {
      // Another request made it first: that is all we wanted.
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
