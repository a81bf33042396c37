import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusinessCalendar } from './business-calendar';

/**
 * Provides the shared {@link BusinessCalendar}. Without forRoot it has no admin closures;
 * loading them from the database is a later change that only swaps the factory.
 */
@Global()
@Module({
  providers: [{ provide: BusinessCalendar, useFactory: () => new BusinessCalendar() }],
  exports: [BusinessCalendar],
})
export class CalendarModule {
  static forRoot(closures: Iterable<string> = []): DynamicModule {
    return {
      module: CalendarModule,
      providers: [
        { provide: BusinessCalendar, useFactory: () => new BusinessCalendar({ closures }) },
      ],
      exports: [BusinessCalendar],
    };
  }
}
