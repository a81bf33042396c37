export * from './business-calendar';
export * from './calendar.module';
export * from './closure/calendar-closure.entity';
export * from './closure/calendar-closure.loader';
export * from './closure/closure-admin.service';
export * from './closure/closure-admin.module';
