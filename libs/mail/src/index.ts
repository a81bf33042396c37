export * from './outbox/outbox-job.entity';
