import { Injectable } from '@nestjs/common';
import { PollingWorker } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { BulkSendService } from './bulk-send.service';

/**
 * Sends bulk-send items in small batches on a timer (config.jobs: BULK_SEND_BATCH every
 * BULK_SEND_INTERVAL_MS), which bounds the rate of replies and mails. Runs wherever the jobs
 * run (SCHEDULED_JOBS); several desk instances may run it at once, since each item is sent
 * under a conditional update. A restart picks up the pending items of running runs.
 */
@Injectable()
export class BulkSendWorker extends PollingWorker {
  constructor(
    private readonly config: AppConfig,
    private readonly bulkSends: BulkSendService,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.jobs.bulkSendIntervalMs;
  }

  protected startsOnBootstrap(): boolean {
    return this.config.jobs.enabled;
  }

  /** On shutdown the base waits for it: a batch's replies are whole transactions. */
  protected round(): Promise<unknown> {
    return this.bulkSends.processBatch(this.config.jobs.bulkSendBatchSize);
  }

  protected override failureMessage(error: unknown): string {
    return `bulk send batch failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
