import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AppConfig } from '@madoguchi/config';
import { BulkSendService } from './bulk-send.service';

/**
 * Sends bulk-send items in small batches on a timer (config.jobs: BULK_SEND_BATCH every
 * BULK_SEND_INTERVAL_MS), which bounds the rate of replies and mails. Runs wherever the jobs
 * run (SCHEDULED_JOBS); several desk instances may run it at once, since each item is sent
 * under a conditional update. A restart picks up the pending items of running runs.
 */
@Injectable()
export class BulkSendWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BulkSendWorker.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly bulkSends: BulkSendService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.jobs.enabled) this.schedule();
  }

  /** A batch in progress finishes (its replies are whole transactions) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), this.config.jobs.bulkSendIntervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.running = this.bulkSends
      .processBatch(this.config.jobs.bulkSendBatchSize)
      .catch((error: unknown) =>
        this.logger.error(
          `bulk send batch failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    try {
      await this.running;
    } finally {
      this.running = undefined;
      this.schedule();
    }
  }
}
