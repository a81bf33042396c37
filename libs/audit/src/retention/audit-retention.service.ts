import { Injectable, Logger } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { Clock, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { AUDIT_ACTIONS } from '../audit-action.constant';
import { AuditEvent } from '../audit-event.entity';
import { AuditService } from '../audit.service';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 1000;

/**
 * The audit trail's retention (AUDIT_RETENTION_DAYS, five years by default; never infinite):
 * events older than that are deleted in batches by the desk's job timer. The trail is
 * append-only through the application (AuditEventAppendOnlySubscriber refuses every update and
 * delete); this purge is the ONE system path allowed to delete, and only by age: it turns the
 * listener off for its own statements, and the audit-completeness test keeps every other file
 * from doing so. Each run that deleted anything leaves an `audit.purged` event (counts, cutoff).
 */
@Injectable()
export class AuditRetentionService {
  private readonly logger = new Logger(AuditRetentionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async purgeExpired(now: Date = this.clock.now()): Promise<{ deleted: number; before: Date }> {
    const before = new Date(now.getTime() - this.config.jobs.auditRetentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const ids = (
        await this.dataSource.getRepository(AuditEvent).find({
          select: { id: true },
          where: { createdAt: LessThan(before) },
          order: { id: 'ASC' },
          take: BATCH,
        })
      ).map((event) => event.id);
      if (ids.length === 0) break;
      const result = await runTransaction(this.dataSource, (manager) =>
        manager
          .createQueryBuilder()
          .delete()
          .from(AuditEvent)
          .where('id IN (:...ids)', { ids })
          // The one place the append-only listener is off: deletion by age, nothing else.
          .callListeners(false)
          .execute(),
      );
      deleted += result.affected ?? 0;
      if (ids.length < BATCH) break;
    }
    if (deleted > 0) {
      await runTransaction(this.dataSource, (manager) =>
        this.audit.record(
          manager,
          {
            actor: { type: 'system' },
            action: AUDIT_ACTIONS.auditPurged,
            merchantId: null,
            target: { type: 'audit_events', id: before.toISOString() },
            detail: { deleted, retentionDays: this.config.jobs.auditRetentionDays },
          },
          now,
        ),
      );
      this.logger.log(
        `audit retention deleted ${deleted} event(s) older than ${before.toISOString()}`,
      );
    }
    return { deleted, before };
  }
}
