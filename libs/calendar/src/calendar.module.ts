import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from './business-calendar';
import { CalendarClosureLoader } from './closure/calendar-closure.loader';

export interface CalendarModuleOptions {
  /** Admin closures from the environment (config.calendar.closures). */
  closures?: Iterable<string>;
  /**
   * Also load the calendar_closures table at bootstrap and re-read it every
   * `refreshIntervalMs` (default 60 s). Needs DatabaseModule in the app.
   */
  fromDatabase?: boolean;
  refreshIntervalMs?: number;
}

const DEFAULT_REFRESH_MS = 60_000;

/**
 * Provides the shared {@link BusinessCalendar}. Without forRoot it has no admin closures;
 * `forRoot({ closures, fromDatabase: true })` adds the environment's and the database's.
 * `forRoot(dates)` (an iterable of dates) is the same as `forRoot({ closures: dates })`.
 */
@Global()
@Module({
  providers: [{ provide: BusinessCalendar, useFactory: () => new BusinessCalendar() }],
  exports: [BusinessCalendar],
})
export class CalendarModule {
  static forRoot(options: CalendarModuleOptions | Iterable<string> = {}): DynamicModule {
    const resolved: CalendarModuleOptions = isIterable(options) ? { closures: options } : options;
    const closures = [...(resolved.closures ?? [])];
    const providers: Provider[] = [
      { provide: BusinessCalendar, useFactory: () => new BusinessCalendar({ closures }) },
    ];
    if (resolved.fromDatabase) {
      providers.push({
        provide: CalendarClosureLoader,
        inject: [DataSource, BusinessCalendar],
        useFactory: (dataSource: DataSource, calendar: BusinessCalendar) =>
          new CalendarClosureLoader(dataSource, calendar, {
            closures,
            refreshIntervalMs: resolved.refreshIntervalMs ?? DEFAULT_REFRESH_MS,
          }),
      });
    }
    return {
      module: CalendarModule,
      providers,
      exports: resolved.fromDatabase
        ? [BusinessCalendar, CalendarClosureLoader]
        : [BusinessCalendar],
    };
  }
}

function isIterable(value: unknown): value is Iterable<string> {
  return typeof (value as Iterable<string>)?.[Symbol.iterator] === 'function';
}
