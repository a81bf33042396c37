import { Module } from '@nestjs/common';
import { CallRecorder } from './call-recorder.service';

/** Needs, from the app: ConfigModule, DatabaseModule, CryptoModule, CalendarModule. */
@Module({ providers: [CallRecorder], exports: [CallRecorder] })
export class CallRecordModule {}
