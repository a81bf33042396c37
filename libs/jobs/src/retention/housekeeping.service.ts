import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@madoguchi/common';
import { AuditRetentionService } from '@madoguchi/audit';
import { SessionService } from '@madoguchi/auth';
import { AppConfig } from '@madoguchi/config';
import { OutboxJob } from '@madoguchi/mail';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HousekeepingResult {
  /** Sent mail jobs older than OUTBOX_SENT_RETENTION_DAYS deleted (their encrypted payloads). */
  sentMails: number;
  /** Sessions past their absolute limit deleted. */
  sessions: number;
  /** Audit events older than AUDIT_RETENTION_DAYS deleted. */
  auditEvents: number;
}

/**
 * What the desk keeps no longer than it needs, beside the tickets' retention: sent mail (the
 * payload holds an address and a body; OUTBOX_SENT_RETENTION_DAYS, 30 by default; pending and
 * dead mail stay for the outbox page), sessions past their absolute limit (useless to anyone),
 * and the audit trail past AUDIT_RETENTION_DAYS. Each delete is by age only, so several desk
 * instances running it at once delete each row once.
 */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger(HousekeepingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly auditRetention: AuditRetentionService,
    private readonly clock: Clock,
  ) {}

  async run(now: Date = this.clock.now()): Promise<HousekeepingResult> {
    const sentBefore = new Date(now.getTime() - this.config.jobs.outboxSentRetentionDays * DAY_MS);
    const sent = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OutboxJob)
      .where("status = 'sent' AND sent_at < :sentBefore", { sentBefore })
      .execute();
    const sessions = await this.sessions.deleteExpired(now);
    const audit = await this.auditRetention.purgeExpired(now);
    const result = {
      sentMails: sent.affected ?? 0,
      sessions,
      auditEvents: audit.deleted,
    };
    if (result.sentMails + result.sessions > 0) {
      this.logger.log(
        `housekeeping deleted ${result.sentMails} sent mail(s), ${result.sessions} expired session(s)`,
      );
    }
    return result;
  }
}
