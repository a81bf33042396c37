import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, isUniqueViolation, runTransaction } from '@madoguchi/common';
import type { TicketActor } from '@madoguchi/tenancy';
import {
  SlaAlert,
  type SlaAlertKind,
  SlaAlertMailOptIn,
  SlaAlertRecipient,
} from './sla-alert.entity';

/** Notifications shown at once on the page. */
export const SLA_NOTIFICATIONS_PAGE = 50;

export interface SlaNotificationView {
  alertId: number;
  kind: SlaAlertKind;
  reference: string;
  merchantName: string;
  queueName: string;
  deadline: Date;
  createdAt: Date;
  read: boolean;
}

/**
 * A supervisor's SLA alerts (issue 15): the newest first, the unread count of the navigation
 * badge, mark read, and the mail opt-in. Each user sees and changes only their own rows.
 */
@Injectable()
export class SlaNotificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(userId: number): Promise<SlaNotificationView[]> {
    const rows = await this.dataSource
      .getRepository(SlaAlertRecipient)
      .createQueryBuilder('recipient')
      .innerJoin(SlaAlert, 'alert', 'alert.id = recipient.alertId')
      .innerJoin('tickets', 'ticket', 'ticket.id = alert.ticket_id')
      .innerJoin('queues', 'queue', 'queue.id = alert.queue_id')
      .innerJoin('merchants', 'merchant', 'merchant.id = alert.merchant_id')
      .select('alert.id', 'alertId')
      .addSelect('alert.kind', 'kind')
      .addSelect('alert.deadline', 'deadline')
      .addSelect('alert.createdAt', 'createdAt')
      .addSelect('ticket.reference', 'reference')
      .addSelect('queue.name', 'queueName')
      .addSelect('merchant.name', 'merchantName')
      .addSelect('recipient.readAt', 'readAt')
      .where('recipient.userId = :userId', { userId })
      .orderBy('alert.id', 'DESC')
      .limit(SLA_NOTIFICATIONS_PAGE)
      .getRawMany<{
        alertId: number | string;
        kind: SlaAlertKind;
        deadline: Date | string;
        createdAt: Date | string;
        reference: string;
        queueName: string;
        merchantName: string;
        readAt: Date | string | null;
      }>();
    return rows.map((row) => ({
      alertId: Number(row.alertId),
      kind: row.kind,
      reference: row.reference,
      merchantName: row.merchantName,
      queueName: row.queueName,
      deadline: dateOf(row.deadline),
      createdAt: dateOf(row.createdAt),
      read: row.readAt !== null,
    }));
  }

  unreadCount(userId: number): Promise<number> {
    return this.dataSource.getRepository(SlaAlertRecipient).countBy({ userId, readAt: IsNull() });
  }

  /** Marks one alert (or, with null, all of them) read for this user; returns how many changed. */
  async markRead(userId: number, alertId: number | null): Promise<number> {
    const result = await this.dataSource
      .getRepository(SlaAlertRecipient)
      .update(
        alertId === null ? { userId, readAt: IsNull() } : { userId, alertId, readAt: IsNull() },
        { readAt: this.clock.now() },
      );
    return result.affected ?? 0;
  }

  async mailOptedIn(userId: number): Promise<boolean> {
    return this.dataSource.getRepository(SlaAlertMailOptIn).existsBy({ userId });
  }

  /** Turns the alert mails on or off for the actor (audited `sla_alert.mail_changed` when it changes). */
  async setMail(actor: TicketActor, on: boolean): Promise<void> {
    const now = this.clock.now();
    try {
      await runTransaction(this.dataSource, async (manager) => {
        const repository = manager.getRepository(SlaAlertMailOptIn);
        const current = await repository.existsBy({ userId: actor.userId });
        if (current === on) return;
        if (on) await repository.insert({ userId: actor.userId, createdAt: now });
        else await repository.delete({ userId: actor.userId });
        await this.audit.record(
          manager,
          {
            actor: { type: 'user', id: actor.userId },
            action: AUDIT_ACTIONS.slaAlertMailChanged,
            merchantId: null,
            target: { type: 'user', id: actor.userId },
            ip: actor.ip,
            detail: { mail: on },
          },
          now,
        );
      });
    } catch (error) {
      // The same toggle sent twice at once: the first one did it.
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

function dateOf(value: Date | string): Date {
  if (value instanceof Date) return value;
  // SQLite hands back `YYYY-MM-DD HH:MM:SS(.fff)` in UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
