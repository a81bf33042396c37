import { Module } from '@nestjs/common';
import { CallStatsService } from './call-stats.service';

/** Needs, from the app: DatabaseModule. */
@Module({ providers: [CallStatsService], exports: [CallStatsService] })
export class CallStatsModule {}
