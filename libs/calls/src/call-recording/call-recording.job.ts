import { Injectable } from '@nestjs/common';
import { jobRunsTotal, PollingWorker } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { CallRecordingService } from './call-recording.service';

/**
 * TELEPHONY_STORE_RECORDINGS: every JOBS_INTERVAL_MS the desk keeps new voicemails sealed and
 * deletes them at Twilio — in a job, so a recording nobody plays is kept too. Off unless both
 * the option and the scheduled jobs are on; tests call {@link CallRecordingService.storeDue}.
 */
@Injectable()
export class CallRecordingJob extends PollingWorker {
  constructor(
    private readonly config: AppConfig,
    private readonly recordings: CallRecordingService,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.jobs.intervalMs;
  }

  protected startsOnBootstrap(): boolean {
    return this.config.jobs.enabled && this.config.telephony.storeRecordings;
  }

  protected async round(): Promise<void> {
    try {
      await this.recordings.storeDue();
      jobRunsTotal.inc({ job: 'call_recordings', result: 'success' });
    } catch (error) {
      jobRunsTotal.inc({ job: 'call_recordings', result: 'failure' });
      throw error;
    }
  }
}
