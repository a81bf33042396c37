export * from './audit-event.entity';
