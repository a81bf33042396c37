import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, isUniqueViolation, runTransaction, systemScope } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OutboxService } from '@madoguchi/mail';
import { Merchant, Queue } from '@madoguchi/tenancy';
import {
  ACTIVE_TICKET_STATUSES,
  dueSoonThreshold,
  QueueMember,
  scopedTicketQuery,
  SlaAlert,
  type SlaAlertKind,
  SlaAlertMailOptIn,
  SlaAlertMark,
  SlaAlertRecipient,
  slaAlertMail,
  type Ticket,
} from '@madoguchi/tickets';

/** Alerts written in one round at most, due-soon and breached together; the next round takes the rest. */
export const SLA_ALERTS_PER_ROUND = 200;
/** Deadlines further back than this are not looked at any more (a ticket's due moved into the past long ago). */
const LOOKBACK_MS = 7 * 86_400_000;
const FIRST_RUN = 'first_run';

export interface SlaAlertRound {
  dueSoon: number;
  breached: number;
  mails: number;
}

/**
 * Due-soon and breach alerts to the queue's supervisors (issue 15). One alert per ticket × kind ×
 * deadline, however many desk instances run it: the insert of the alert row is the claim (a
 * unique index), and its recipients and mails commit with it or not at all.
 *
 * - due soon: an active ticket whose deadline is less than 2 business hours ahead (the queue's
 *   まもなく期限, `dueSoonThreshold`);
 * - breached: an active ticket whose deadline has passed, and passed after the worker first ran
 *   on this database (the `first_run` mark), so the first deploy does not alert every ticket
 *   already breached; and at most {@link SLA_ALERTS_PER_ROUND} alerts a round.
 *
 * The queue's supervisors are the active supervisors who are members of the queue; a queue
 * without any alerts every active supervisor. Each gets the alert on /supervisor/notifications;
 * those who opted in get a mail through the outbox.
 */
@Injectable()
export class SlaAlertService {
  private readonly logger = new Logger(SlaAlertService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async runOnce(now: Date = this.clock.now()): Promise<SlaAlertRound> {
    const since = await this.firstRun(now);
    const round: SlaAlertRound = { dueSoon: 0, breached: 0, mails: 0 };
    const breached = await this.candidates(
      'breached',
      new Date(Math.max(since.getTime(), now.getTime() - LOOKBACK_MS)),
      now,
      SLA_ALERTS_PER_ROUND,
    );
    const dueSoon = await this.candidates(
      'due_soon',
      now,
      dueSoonThreshold(now, this.calendar),
      SLA_ALERTS_PER_ROUND - breached.length,
    );
    for (const [kind, tickets] of [
      ['breached', breached],
      ['due_soon', dueSoon],
    ] as const) {
      for (const ticket of tickets) {
        const mails = await this.alertOne(ticket, kind, now);
        if (mails === null) continue;
        round.mails += mails;
        if (kind === 'breached') round.breached++;
        else round.dueSoon++;
      }
    }
    if (breached.length + dueSoon.length >= SLA_ALERTS_PER_ROUND) {
      this.logger.warn(`${SLA_ALERTS_PER_ROUND} SLA alerts this round; the rest follow next round`);
    }
    return round;
  }

  /** When the worker first ran on this database; set by the first round of any instance. */
  private async firstRun(now: Date): Promise<Date> {
    const repository = this.dataSource.getRepository(SlaAlertMark);
    const found = await repository.findOneBy({ name: FIRST_RUN });
    if (found) return found.at;
    try {
      await repository.insert({ name: FIRST_RUN, at: now });
      return now;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await repository.findOneByOrFail({ name: FIRST_RUN })).at;
    }
  }

  /** Active tickets with a deadline in (after, until] (breached) or (after, until) (due soon) not alerted for it yet. */
  private async candidates(
    kind: SlaAlertKind,
    after: Date,
    until: Date,
    limit: number,
  ): Promise<Ticket[]> {
    if (limit <= 0) return [];
    return scopedTicketQuery(this.dataSource.manager, systemScope('notifications'))
      .select([
        'ticket.id',
        'ticket.reference',
        'ticket.merchantId',
        'ticket.queueId',
        'ticket.slaDueAt',
      ])
      .andWhere('ticket.status IN (:...active)', { active: [...ACTIVE_TICKET_STATUSES] })
      .andWhere('ticket.slaDueAt > :after', { after })
      .andWhere(kind === 'breached' ? 'ticket.slaDueAt <= :until' : 'ticket.slaDueAt < :until', {
        until,
      })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.ticket_id = ticket.id AND a.kind = :kind AND a.deadline = ticket.sla_due_at)',
        { kind },
      )
      .orderBy('ticket.slaDueAt', 'ASC')
      .addOrderBy('ticket.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Writes the alert, its recipients and mails; null when another instance wrote it first. */
  private async alertOne(ticket: Ticket, kind: SlaAlertKind, now: Date): Promise<number | null> {
    try {
      return await runTransaction(this.dataSource, async (manager) => {
        const inserted = await manager.insert(SlaAlert, {
          ticketId: ticket.id,
          merchantId: ticket.merchantId,
          queueId: ticket.queueId,
          kind,
          deadline: ticket.slaDueAt as Date,
          createdAt: now,
        });
        const alertId = Number(inserted.identifiers[0]?.id);
        const supervisors = await this.supervisorsOf(manager, ticket.queueId);
        if (supervisors.length === 0) return 0;
        await manager.insert(
          SlaAlertRecipient,
          supervisors.map((user) => ({ alertId, userId: user.id, readAt: null })),
        );
        const optedIn = await manager.getRepository(SlaAlertMailOptIn).findBy({
          userId: In(supervisors.map((user) => user.id)),
        });
        if (optedIn.length === 0) return 0;
        const [queue, merchant] = await Promise.all([
          manager.getRepository(Queue).findOneByOrFail({ id: ticket.queueId }),
          manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
        ]);
        const base = this.config.http.deskPublicUrl;
        const mailTo = new Set(optedIn.map((row) => row.userId));
        let mails = 0;
        for (const user of supervisors) {
          if (!mailTo.has(user.id)) continue;
          await this.outbox.enqueueMail(
            manager,
            slaAlertMail({
              to: user.email,
              kind,
              reference: ticket.reference,
              merchantName: merchant.name,
              queueName: queue.name,
              deadline: ticket.slaDueAt as Date,
              ticketUrl: `${base}/tickets/${ticket.reference}`,
              notificationsUrl: `${base}/supervisor/notifications`,
            }),
            now,
            { ticketId: ticket.id },
          );
          mails++;
        }
        return mails;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** The queue's active supervisors (members); every active supervisor when it has none. */
  private async supervisorsOf(
    manager: EntityManager,
    queueId: number,
  ): Promise<Array<{ id: number; email: string }>> {
    const query = () =>
      manager
        .getRepository(User)
        .createQueryBuilder('user')
        .select(['user.id', 'user.email'])
        .where("user.role = 'supervisor'")
        .andWhere('user.disabledAt IS NULL')
        .orderBy('user.id', 'ASC');
    const members = await query()
      .innerJoin(QueueMember, 'member', 'member.userId = user.id AND member.queueId = :queueId', {
        queueId,
      })
      .getMany();
    return members.length > 0 ? members : query().getMany();
  }
}
