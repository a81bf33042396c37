export * from './call/call.entity';
