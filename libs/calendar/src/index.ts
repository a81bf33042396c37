export * from './business-calendar';
export * from './calendar.module';
export * from './closure/calendar-closure.entity';
export * from './closure/calendar-closure.loader';
