import { Injectable, Optional } from '@nestjs/common';
import { Brackets, DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DeskEventBus,
  DomainException,
  ErrorCode,
  NotFoundException,
  outboxJobs,
  runTransaction,
} from '@madoguchi/common';
import { OUTBOX_MAIL_JOB } from '../mail.constant';
import { MailDeliveryEvent } from './mail-delivery.event';
import { OutboxJob, type OutboxJobStatus } from './outbox-job.entity';
import { maskAddress } from './outbox-retry.util';
import { OutboxService } from './outbox.service';

/** Where a mail stands, as the outbox page and the metrics group it. */
export type OutboxState = 'pending' | 'failed' | 'dead';

export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'failed', 'dead'];

/** At most this many mails per state on the page (the counts are exact). */
export const OUTBOX_PAGE_ROWS = 100;

/** One undelivered mail as the admin sees it: never the body, the recipient masked. */
export interface OutboxAdminRow {
  id: number;
  state: OutboxState;
  status: OutboxJobStatus;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  /** The SMTP server's last answer (addresses already removed when it was stored). */
  lastError: string | null;
  /** `t***@example.com`; null when the payload cannot be read. */
  recipient: string | null;
  /** The sender's display name (the merchant's sender name, or the desk's). */
  senderName: string | null;
  /** A reply on a ticket (its delivery state follows the mail) or another notice. */
  kind: 'reply' | 'notice' | 'unreadable';
  /** A worker holds the job right now (sending): neither retry nor discard until it is done. */
  inFlight: boolean;
}

export interface OutboxOverview {
  counts: Record<OutboxState, number>;
  rows: Record<OutboxState, OutboxAdminRow[]>;
}

/** The state the admin saw on the page; a change since then is a 409 (stale). */
export interface OutboxExpectedState {
  status: string;
  attempts: number;
}

export interface OutboxAdminActor {
  userId: number;
  ip: string | null;
}

function stateOf(job: Pick<OutboxJob, 'status' | 'attempts'>): OutboxState | null {
  if (job.status === 'dead') return 'dead';
  if (job.status !== 'pending') return null;
  return job.attempts > 0 ? 'failed' : 'pending';
}

/**
 * The admins' view of the mail outbox (`/admin/outbox`, docs/operations.md): counts and lists
 * of pending, failed (waiting for a retry) and dead mails, and the two repairs, each audited in
 * its own transaction: retry (due now, attempts counted afresh) and discard (never sent, its
 * payload erased). A mail a worker is sending right now, or one that changed since the page
 * was drawn, is refused as stale.
 */
@Injectable()
export class OutboxAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Optional() private readonly events?: DeskEventBus,
  ) {}

  async counts(): Promise<Record<OutboxState, number>> {
    const rows: { status: string; retried: number | string; count: number | string }[] =
      await this.dataSource
        .getRepository(OutboxJob)
        .createQueryBuilder('job')
        .select('job.status', 'status')
        .addSelect('CASE WHEN job.attempts > 0 THEN 1 ELSE 0 END', 'retried')
        .addSelect('COUNT(*)', 'count')
        .where('job.type = :type', { type: OUTBOX_MAIL_JOB })
        .andWhere('job.status IN (:...statuses)', { statuses: ['pending', 'dead'] })
        .groupBy('job.status')
        .addGroupBy('retried')
        .getRawMany();
    const counts: Record<OutboxState, number> = { pending: 0, failed: 0, dead: 0 };
    for (const row of rows) {
      const state = stateOf({
        status: row.status as OutboxJobStatus,
        attempts: Number(row.retried),
      });
      if (state) counts[state] += Number(row.count);
    }
    return counts;
  }

  /** Sets the `madoguchi_outbox_jobs` gauge from the database (the desk's metrics collector). */
  async refreshBacklogGauge(): Promise<void> {
    const counts = await this.counts();
    for (const state of OUTBOX_STATES) outboxJobs.set({ state }, counts[state]);
  }

  async overview(now: Date = this.clock.now()): Promise<OutboxOverview> {
    const repository = this.dataSource.getRepository(OutboxJob);
    const list = (state: OutboxState) => {
      const query = repository
        .createQueryBuilder('job')
        .where('job.type = :type', { type: OUTBOX_MAIL_JOB })
        .orderBy('job.id', state === 'pending' ? 'ASC' : 'DESC')
        .take(OUTBOX_PAGE_ROWS);
      if (state === 'dead') query.andWhere("job.status = 'dead'");
      else {
        query
          .andWhere("job.status = 'pending'")
          .andWhere(state === 'failed' ? 'job.attempts > 0' : 'job.attempts = 0');
      }
      return query.getMany();
    };
    const [counts, pending, failed, dead] = await Promise.all([
      this.counts(),
      list('pending'),
      list('failed'),
      list('dead'),
    ]);
    const toRows = (jobs: OutboxJob[]) => jobs.map((job) => this.toRow(job, now));
    return {
      counts,
      rows: { pending: toRows(pending), failed: toRows(failed), dead: toRows(dead) },
    };
  }

  /** One undelivered mail as the page shows it (a confirm step names it); 404 for any other job. */
  async row(id: number, now: Date = this.clock.now()): Promise<OutboxAdminRow> {
    const job = await this.dataSource
      .getRepository(OutboxJob)
      .findOneBy({ id, type: OUTBOX_MAIL_JOB });
    if (!job || stateOf(job) === null) throw new NotFoundException();
    return this.toRow(job, now);
  }

  /** Makes a failed or dead mail due now, with its attempts counted afresh. */
  async retry(id: number, expected: OutboxExpectedState, actor: OutboxAdminActor): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const job = await this.lockedJob(manager, id);
      const state = this.checkExpected(job, expected, ['failed', 'dead']);
      const now = this.clock.now();
      await this.conditionally(manager, job, now, {
        status: 'pending',
        attempts: 0,
        // Whole seconds, as enqueueMail writes it (MySQL rounds a fractional datetime up).
        nextAttemptAt: new Date(Math.floor(now.getTime() / 1000) * 1000),
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.outboxRetried,
          merchantId: null,
          target: { type: 'outbox_job', id: job.id },
          ip: actor.ip,
          detail: { previousState: state, attempts: job.attempts },
        },
        now,
      );
    });
  }

  /**
   * Gives a pending, failed or dead mail up: the job is deleted (never sent, its address and
   * body gone with it; the audit event keeps its id, state and attempts), and a ticket reply it
   * carried shows as not delivered.
   */
  async discard(id: number, expected: OutboxExpectedState, actor: OutboxAdminActor): Promise<void> {
    const messageId = await runTransaction(this.dataSource, async (manager) => {
      const job = await this.lockedJob(manager, id);
      const state = this.checkExpected(job, expected, ['pending', 'failed', 'dead']);
      let carried: number | undefined;
      try {
        carried = this.outbox.readMail(job).messageId;
      } catch {
        carried = undefined;
      }
      const now = this.clock.now();
      await this.conditionally(manager, job, now, 'delete');
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.outboxDiscarded,
          merchantId: null,
          target: { type: 'outbox_job', id: job.id },
          ip: actor.ip,
          detail: { previousState: state, attempts: job.attempts },
        },
        now,
      );
      return carried;
    });
    if (messageId !== undefined && this.events) {
      await this.events.emitAsync('mail.delivery', new MailDeliveryEvent(messageId, 'failed'));
    }
  }

  private async lockedJob(manager: EntityManager, id: number): Promise<OutboxJob> {
    const query = manager
      .getRepository(OutboxJob)
      .createQueryBuilder('job')
      .where('job.id = :id', { id })
      .andWhere('job.type = :type', { type: OUTBOX_MAIL_JOB });
    if (this.dataSource.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    const job = await query.getOne();
    if (!job) throw new NotFoundException();
    return job;
  }

  private checkExpected(
    job: OutboxJob,
    expected: OutboxExpectedState,
    allowed: readonly OutboxState[],
  ): OutboxState {
    const state = stateOf(job);
    if (
      state === null ||
      !allowed.includes(state) ||
      job.status !== expected.status ||
      job.attempts !== expected.attempts
    ) {
      throw new DomainException(
        ErrorCode.StaleVersion,
        'このメールの状態は画面を開いた後に変わりました。一覧を読み込み直してください。',
      );
    }
    return state;
  }

  /**
   * The update (or delete) repeats what was checked, and that no worker holds a live lease: a
   * worker claims jobs without the row lock, so only the condition keeps the two from crossing.
   */
  private async conditionally(
    manager: EntityManager,
    job: OutboxJob,
    now: Date,
    change: Partial<OutboxJob> | 'delete',
  ): Promise<void> {
    const query =
      change === 'delete'
        ? manager.createQueryBuilder().delete().from(OutboxJob)
        : manager.createQueryBuilder().update(OutboxJob).set(change);
    const { affected } = await query
      .where('id = :id AND status = :status AND attempts = :attempts', {
        id: job.id,
        status: job.status,
        attempts: job.attempts,
      })
      .andWhere(
        new Brackets((lease) =>
          lease.where('lease_expires_at IS NULL').orWhere('lease_expires_at < :now', { now }),
        ),
      )
      .execute();
    if (affected !== 1) {
      throw new DomainException(
        ErrorCode.StaleVersion,
        'このメールは今送信中です。しばらくしてから一覧を読み込み直してください。',
      );
    }
  }

  private toRow(job: OutboxJob, now: Date): OutboxAdminRow {
    let recipient: string | null = null;
    let senderName: string | null = null;
    let kind: OutboxAdminRow['kind'] = 'unreadable';
    try {
      const mail = this.outbox.readMail(job);
      recipient = maskAddress(mail.to);
      senderName = mail.fromName;
      kind = mail.messageId !== undefined ? 'reply' : 'notice';
    } catch {
      // A payload that cannot be opened (a key gone) is listed as such; it can be discarded.
    }
    return {
      id: job.id,
      state: stateOf(job) ?? 'pending',
      status: job.status,
      attempts: job.attempts,
      createdAt: job.createdAt,
      nextAttemptAt: job.nextAttemptAt,
      lastError: job.lastError,
      recipient,
      senderName,
      kind,
      inFlight: job.leaseExpiresAt !== null && job.leaseExpiresAt.getTime() > now.getTime(),
    };
  }
}
