export * from './call/call.entity';
export * from './call-log/call-log.module';
export * from './call-log/call-log.service';
export * from './call-log/call-log.type';
