import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  DataSource,
  type FindOptionsWhere,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThan,
} from 'typeorm';
import { Clock, DeskEventBus, outboxDeliveriesTotal, PollingWorker } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { MAIL_ATTACHMENT_LOADER, MAIL_TRANSPORT, OUTBOX_MAIL_JOB } from '../mail.constant';
import type { MailTransport, SendableMail } from '../mail-transport';
import type { MailAttachmentLoader, OutgoingMail } from '../outgoing-mail.type';
import { MailDeliveryEvent } from './mail-delivery.event';
import { OutboxJob } from './outbox-job.entity';
import {
  describeDeliveryError,
  OUTBOX_LEASE_MS,
  OUTBOX_MAX_ATTEMPTS,
  isPermanentDeliveryFailure,
  outboxRetryDelayMs,
} from './outbox-retry.util';
import { OutboxService } from './outbox.service';

/** What one drain did. */
export interface OutboxDrainResult {
  sent: number;
  /** Attempts that failed and were rescheduled. */
  failed: number;
  /** Jobs that failed for the last time. */
  dead: number;
  /** Due jobs left in the outbox because no SMTP server is configured. */
  held: number;
}

type DeliveryOutcome = 'sent' | 'failed' | 'dead';

const CANDIDATE_BATCH = 50;

/**
 * Sends the mail outbox. Any number of workers (processes, hosts) may run on one database:
 * a job is claimed by a conditional UPDATE that only one of them can win, so each attempt
 * happens once. Delivery is at-least-once: a worker that dies after the SMTP server accepted a
 * mail but before recording it leaves a lease that expires, and the mail goes out again.
 *
 * Without a transport (no SMTP_URL, allowed outside production only) nothing is claimed or
 * sent: each due job is logged once, with its subject and a masked recipient, and stays
 * pending, to go out once SMTP_URL is set and the worker restarts. Mail is never lost.
 */
@Injectable()
export class OutboxWorker extends PollingWorker {
  /** The lease owner written by this worker; unique per process instance. */
  readonly id = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;

  private readonly drains = new Set<Promise<OutboxDrainResult>>();
  private stopping = false;
  /** Held jobs up to this id have been logged already (ids only grow). */
  private heldLoggedUpToId = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport | null,
    private readonly clock: Clock,
    // Optional: an app without the event bus simply gets no delivery-state updates.
    @Optional() private readonly events?: DeskEventBus,
    // Provided by the tickets layer (it owns the attachments); without it a mail that has
    // attachments fails and is retried, rather than going out without them.
    @Optional()
    @Inject(MAIL_ATTACHMENT_LOADER)
    private readonly attachmentLoader?: MailAttachmentLoader,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.mail.pollIntervalMs;
  }

  protected startsOnBootstrap(): boolean {
    if (!this.config.mail.workerEnabled) return false;
    if (!this.transport) {
      this.logger.warn('SMTP_URL is not set: mail is kept in the outbox, not sent');
    }
    return true;
  }

  protected round(): Promise<OutboxDrainResult> {
    return this.drainOnce();
  }

  /** A database hiccup must not kill the timer: the base logs it and polls again. */
  protected override failureMessage(error: unknown): string {
    return `outbox drain failed: ${describeDeliveryError(error)}`;
  }

  /**
   * Before, not on, application shutdown: the data source closes in onApplicationShutdown,
   * and the in-flight batch and the lease release still need it.
   */
  override async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await super.beforeApplicationShutdown();
    await Promise.allSettled([...this.drains]);
    try {
      await this.dataSource
        .createQueryBuilder()
        .update(OutboxJob)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where({ leaseOwner: this.id, status: 'pending' })
        .execute();
    } catch (error) {
      // The leases then simply expire; another worker takes the jobs a minute later.
      this.logger.error(`could not release outbox leases: ${describeDeliveryError(error)}`);
    }
  }

  /**
   * Works through every due job once (the poll timer calls this too). Tests pass `now` to
   * move time; otherwise the clock is read afresh per job, so a long drain never writes a
   * lease that has already expired.
   */
  drainOnce(now?: Date): Promise<OutboxDrainResult> {
    const run = this.drain(now ? () => now : () => this.clock.now());
    this.drains.add(run);
    const forget = () => this.drains.delete(run);
    void run.then(forget, forget);
    return run;
  }

  private async drain(clock: () => Date): Promise<OutboxDrainResult> {
    const result: OutboxDrainResult = { sent: 0, failed: 0, dead: 0, held: 0 };
    if (this.stopping) return result;
    if (!this.transport) {
      result.held = await this.logHeldJobs(clock());
      return result;
    }
    // Keyset over ids: every due job is looked at once per drain, and a job that failed
    // (now due later) or that another worker holds is not picked up again in a loop.
    let afterId = 0;
    for (;;) {
      const candidates = await this.dataSource.getRepository(OutboxJob).find({
        select: { id: true },
        where: this.dueWhere(clock(), { id: MoreThan(afterId) }),
        order: { id: 'ASC' },
        take: CANDIDATE_BATCH,
      });
      for (const { id } of candidates) {
        if (this.stopping) return result;
        afterId = id;
        // Claimed one at a time, right before sending, so a lease never has to outlast
        // the sending of a whole batch.
        const job = await this.claim(id, clock());
        if (job) {
          const outcome = await this.deliver(job, this.transport, clock);
          result[outcome]++;
          outboxDeliveriesTotal.inc({ outcome });
        }
      }
      if (candidates.length < CANDIDATE_BATCH) return result;
    }
  }

  /** Pending mail due at `now` whose lease is free or expired. */
  private dueWhere(now: Date, extra: FindOptionsWhere<OutboxJob>): FindOptionsWhere<OutboxJob>[] {
    const due: FindOptionsWhere<OutboxJob> = {
      type: OUTBOX_MAIL_JOB,
      status: 'pending',
      nextAttemptAt: LessThanOrEqual(now),
      ...extra,
    };
    return [
      { ...due, leaseExpiresAt: IsNull() },
      { ...due, leaseExpiresAt: LessThan(now) },
    ];
  }

  /**
   * The atomic claim: the UPDATE repeats the due conditions, so of several workers racing for
   * one job exactly one changes the row (affected = 1), on MySQL and on SQLite alike.
   */
  private async claim(id: number, now: Date): Promise<OutboxJob | null> {
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .update(OutboxJob)
      .set({ leaseOwner: this.id, leaseExpiresAt: new Date(now.getTime() + OUTBOX_LEASE_MS) })
      .where(this.dueWhere(now, { id }))
      .execute();
    if (affected !== 1) return null;
    return this.dataSource.getRepository(OutboxJob).findOneBy({ id });
  }

  private async deliver(
    job: OutboxJob,
    transport: MailTransport,
    clock: () => Date,
  ): Promise<DeliveryOutcome> {
    let messageId: number | undefined;
    try {
      const mail = this.outbox.readMail(job);
      messageId = mail.messageId;
      await transport.send(await this.sendable(mail));
    } catch (error) {
      const outcome = await this.recordFailure(job, error, clock());
      if (outcome === 'dead') await this.emitDelivery(messageId, 'failed');
      return outcome;
    }
    // Outside the try: a failure to record success must not count as a failed delivery
    // (that would send the mail again at once); the lease expires and decides instead.
    await this.dataSource
      .createQueryBuilder()
      .update(OutboxJob)
      .set({ status: 'sent', sentAt: clock(), leaseOwner: null, leaseExpiresAt: null })
      .where({ id: job.id })
      .execute();
    await this.emitDelivery(messageId, 'sent');
    return 'sent';
  }

  /** The stored mail with the sender address and its attachments, loaded now (they are large). */
  private async sendable(mail: OutgoingMail): Promise<SendableMail> {
    const { attachmentIds, ...rest } = mail;
    const sendable: SendableMail = { ...rest, fromAddress: this.config.mail.fromAddress };
    if (!attachmentIds?.length) return sendable;
    if (!this.attachmentLoader) throw new Error('no attachment loader: the mail has attachments');
    return { ...sendable, attachments: await this.attachmentLoader.loadForMail(attachmentIds) };
  }

  /** Awaited, so a drain ends with the delivery states written (listeners catch their own errors). */
  private async emitDelivery(
    messageId: number | undefined,
    state: 'sent' | 'failed',
  ): Promise<void> {
    if (messageId === undefined || !this.events) return;
    await this.events.emitAsync('mail.delivery', new MailDeliveryEvent(messageId, state));
  }

  private async recordFailure(job: OutboxJob, error: unknown, now: Date): Promise<DeliveryOutcome> {
    const attempts = job.attempts + 1;
    const dead = isPermanentDeliveryFailure(error) && attempts >= OUTBOX_MAX_ATTEMPTS;
    const lastError = describeDeliveryError(error);
    const nextAttemptAt = dead
      ? job.nextAttemptAt
      : new Date(now.getTime() + outboxRetryDelayMs(attempts));
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .update(OutboxJob)
      .set({
        status: dead ? 'dead' : 'pending',
        attempts,
        lastError,
        nextAttemptAt,
        leaseOwner: null,
        leaseExpiresAt: null,
      })
      // Only while the lease is still ours: a worker that took over owns the row's state.
      .where({ id: job.id, leaseOwner: this.id, status: 'pending' })
      .execute();
    if (affected !== 1) {
      this.logger.warn(`outbox job ${job.id}: lease lost before the failure could be recorded`);
    } else if (dead) {
      this.logger.error(`outbox job ${job.id} is dead after ${attempts} attempts: ${lastError}`);
    } else {
      this.logger.warn(
        `outbox job ${job.id} attempt ${attempts} failed, next at ${nextAttemptAt.toISOString()}: ${lastError}`,
      );
    }
    return dead ? 'dead' : 'failed';
  }

  /** No transport: log each due job once (its id only), leave it pending. */
  private async logHeldJobs(now: Date): Promise<number> {
    const repository = this.dataSource.getRepository(OutboxJob);
    const held = await repository.count({ where: this.dueWhere(now, {}) });
    for (;;) {
      const jobs = await repository.find({
        where: this.dueWhere(now, { id: MoreThan(this.heldLoggedUpToId) }),
        order: { id: 'ASC' },
        take: CANDIDATE_BATCH,
      });
      for (const job of jobs) {
        this.heldLoggedUpToId = job.id;
        let summary: string;
        try {
          // Readable or not; never the recipient (not even masked) nor the subject, which may
          // name the shopper: the outbox page and the SMTP test server show the mail itself.
          this.outbox.readMail(job);
          summary = 'a mail';
        } catch (error) {
          summary = `unreadable payload (${describeDeliveryError(error)})`;
        }
        this.logger.warn(`outbox job ${job.id} kept, SMTP_URL is not set: ${summary}`);
      }
      if (jobs.length < CANDIDATE_BATCH) return held;
    }
  }
}
