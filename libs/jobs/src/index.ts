export * from './retention/retention.service';
export * from './retention/housekeeping.service';
export * from './notifications/support-period.service';
export * from './notifications/merchant-digest.service';
export * from './notifications/hand-back-reminder.service';
export * from './automation/pending-customer-automation.service';
export * from './jobs/desk-jobs.runner';
export * from './jobs/ticket-jobs.module';
