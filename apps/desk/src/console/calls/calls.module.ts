import { Module } from '@nestjs/common';
import {
  CallLogModule,
  CallRecordingModule,
  CallStatsModule,
  CallWorkModule,
} from '@madoguchi/calls';
import { CallsController } from './calls.controller';
import { CallsApiController } from './calls-api.controller';

/** Calls in the desk: the console's phone pages and the /api/v1/calls routes. */
@Module({
  imports: [CallLogModule, CallWorkModule, CallStatsModule, CallRecordingModule],
  controllers: [CallsApiController, CallsController],
})
export class CallsModule {}
