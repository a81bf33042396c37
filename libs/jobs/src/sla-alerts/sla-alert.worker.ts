import { Injectable } from '@nestjs/common';
import { Clock, jobRunsTotal, PollingWorker } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { SlaAlertService } from './sla-alert.service';

/**
 * The SLA alerts' loop (issue 15) on the desk's jobs timer (JOBS_INTERVAL_MS, a minute by
 * default), its own PollingWorker so a slow round of the other jobs never delays an alert. Safe
 * with several desk instances (SlaAlertService). Off with SCHEDULED_JOBS=off and under
 * NODE_ENV=test unless enabled; tests call SlaAlertService.runOnce with their own `now`.
 */
@Injectable()
export class SlaAlertWorker extends PollingWorker {
  constructor(
    private readonly config: AppConfig,
    private readonly alerts: SlaAlertService,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.jobs.intervalMs;
  }

  protected startsOnBootstrap(): boolean {
    return this.config.jobs.enabled;
  }

  protected async round(): Promise<void> {
    try {
      await this.alerts.runOnce(this.clock.now());
      jobRunsTotal.inc({ job: 'sla_alerts', result: 'success' });
    } catch (error) {
      jobRunsTotal.inc({ job: 'sla_alerts', result: 'failure' });
      throw error;
    }
  }
}
