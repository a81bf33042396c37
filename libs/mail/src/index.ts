export * from './outbox/outbox-job.entity';
export * from './outbox/outbox-retry.util';
export * from './outbox/outbox-worker.service';
export * from './outbox/outbox.service';
export * from './mail-transport';
export * from './mail.constant';
export * from './mail.module';
export * from './outgoing-mail.type';
