import { Module } from '@nestjs/common';
import { DashboardService } from './dashboard.service';

/** The supervisors' dashboard figures (desk only). Needs DatabaseModule and CalendarModule from the app. */
@Module({ providers: [DashboardService], exports: [DashboardService] })
export class DashboardModule {}
