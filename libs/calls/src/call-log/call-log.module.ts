import { Module } from '@nestjs/common';
import { CallLogService } from './call-log.service';

/** Needs, from the app: DatabaseModule. */
@Module({ providers: [CallLogService], exports: [CallLogService] })
export class CallLogModule {}
