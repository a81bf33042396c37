import { Module } from '@nestjs/common';
import { CallRecordingJob } from './call-recording.job';
import { CallRecordingService } from './call-recording.service';

/**
 * Recordings in the desk: played through the desk (streamed from Twilio or from the sealed
 * copy) and, with TELEPHONY_STORE_RECORDINGS, kept by a job. Needs, from the app:
 * DatabaseModule, ConfigModule, CryptoModule, AuditModule.
 */
@Module({
  providers: [CallRecordingService, CallRecordingJob],
  exports: [CallRecordingService],
})
export class CallRecordingModule {}
