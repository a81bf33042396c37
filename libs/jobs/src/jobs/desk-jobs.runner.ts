import { Injectable } from '@nestjs/common';
import { Clock, jobRunsTotal, PollingWorker } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { PendingCustomerAutomationService } from '../automation/pending-customer-automation.service';
import { HandBackReminderService } from '../notifications/hand-back-reminder.service';
import { MerchantDigestService } from '../notifications/merchant-digest.service';
import { SupportPeriodService } from '../notifications/support-period.service';
import { HousekeepingService } from '../retention/housekeeping.service';
import { RetentionService } from '../retention/retention.service';

/**
 * The desk's scheduled jobs on one timer (config.jobs.intervalMs, a minute by default):
 * retention, the support-end notice, the daily digest, the hand-back reminder and the
 * pending-customer automation of the rules. Every job
 * is idempotent and safe with several desk instances running it (conditional updates, audit markers checked under a
 * row lock), so no leader election is needed. Off with SCHEDULED_JOBS=off and, unless
 * enabled, under NODE_ENV=test; tests call the services with their own `now`.
 */
@Injectable()
export class DeskJobsRunner extends PollingWorker {
  /** Set on shutdown: the jobs not yet begun in the pass in progress are skipped. */
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly retention: RetentionService,
    private readonly housekeeping: HousekeepingService,
    private readonly supportPeriod: SupportPeriodService,
    private readonly digest: MerchantDigestService,
    private readonly handBackReminders: HandBackReminderService,
    private readonly clock: Clock,
    private readonly pendingAutomation: PendingCustomerAutomationService,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.jobs.intervalMs;
  }

  protected startsOnBootstrap(): boolean {
    return this.config.jobs.enabled;
  }

  protected round(): Promise<void> {
    return this.runOnce();
  }

  /** Before shutdown: a run in progress still needs the data source, closed afterwards. */
  override async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await super.beforeApplicationShutdown();
  }

  /** One pass of every job; each catches and logs its own failure, so one cannot stop the rest. */
  async runOnce(now: Date = this.clock.now()): Promise<void> {
    if (this.config.jobs.retentionEnabled) {
      await this.guarded('retention', () => this.retention.eraseDue(now));
    }
    // Sent mail, expired sessions, the audit trail past its retention (not RETENTION_JOB: it
    // erases no ticket, and an expired session or an old sent mail is never needed).
    await this.guarded('housekeeping', () => this.housekeeping.run(now));
    await this.guarded('support end notice', () => this.supportPeriod.notifyEnded(now));
    await this.guarded('merchant digest', () => this.digest.sendDue(now));
    await this.guarded('hand-back reminder', () => this.handBackReminders.sendDue(now));
    // Rules (docs/rules.md): remind a waiting customer once, then resolve.
    await this.guarded('pending automation', () => this.pendingAutomation.runDue(now));
  }

  private async guarded(name: string, job: () => Promise<unknown>): Promise<void> {
    if (this.stopping) return;
    // The metrics label: `support_end_notice`, `merchant_digest`, … (docs/operations.md).
    const label = name.replace(/[^a-z0-9]+/gi, '_');
    try {
      await job();
      jobRunsTotal.inc({ job: label, result: 'success' });
    } catch (error) {
      jobRunsTotal.inc({ job: label, result: 'failure' });
      this.logger.error(
        `${name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
