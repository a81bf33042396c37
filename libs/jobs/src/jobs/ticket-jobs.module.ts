import { Module } from '@nestjs/common';
import { AuthModule } from '@madoguchi/auth';
import { PendingCustomerAutomationService } from '../automation/pending-customer-automation.service';
import { HandBackReminderService } from '../notifications/hand-back-reminder.service';
import { MerchantDigestService } from '../notifications/merchant-digest.service';
import { MerchantQuestionListener } from '../notifications/merchant-question.listener';
import { SupportPeriodService } from '../notifications/support-period.service';
import { HousekeepingService } from '../retention/housekeeping.service';
import { RetentionService } from '../retention/retention.service';
import { DeskJobsRunner } from './desk-jobs.runner';
import { SlaAlertService } from '../sla-alerts/sla-alert.service';
import { SlaAlertWorker } from '../sla-alerts/sla-alert.worker';

const JOB_SERVICES = [
  RetentionService,
  HousekeepingService,
  SupportPeriodService,
  MerchantDigestService,
  HandBackReminderService,
  PendingCustomerAutomationService,
  DeskJobsRunner,
  SlaAlertService,
  SlaAlertWorker,
];

/**
 * Scheduled jobs and merchant notices, for the desk only (the process that holds the mail
 * worker). Needs, from the app: DatabaseModule, AuditModule, MailModule, ConfigModule,
 * DeskEventsModule.
 */
@Module({
  // AuthModule: the expired-session purge (SessionService.deleteExpired) of the housekeeping.
  imports: [AuthModule],
  providers: [...JOB_SERVICES, MerchantQuestionListener],
  exports: JOB_SERVICES,
})
export class TicketJobsModule {}
