import { Module } from '@nestjs/common';
import { AccessLogService } from './access-log.service';

/** Needs, from the app: DatabaseModule. */
@Module({ providers: [AccessLogService], exports: [AccessLogService] })
export class AccessLogModule {}
