export * from './business-calendar';
export * from './calendar.module';
