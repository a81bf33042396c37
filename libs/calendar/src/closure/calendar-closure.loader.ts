import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingWorker } from '@madoguchi/common';
import { BusinessCalendar } from '../business-calendar';
import { CalendarClosure } from './calendar-closure.entity';

export interface CalendarClosureLoaderOptions {
  /** Closures from the environment (CALENDAR_CLOSURES); always kept, the database adds to them. */
  closures: readonly string[];
  /** How often each instance re-reads calendar_closures, so several instances converge. */
  refreshIntervalMs: number;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Loads the admin closures of the calendar_closures table into the shared BusinessCalendar at
 * bootstrap and every refresh interval after that (a PollingWorker: stopped on shutdown). No
 * instance keeps state another needs: each reads the table itself and at worst lags one interval.
 */
@Injectable()
export class CalendarClosureLoader extends PollingWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly options: CalendarClosureLoaderOptions,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.options.refreshIntervalMs;
  }

  protected startsOnBootstrap(): boolean {
    return true;
  }

  /** The first read before the app takes requests, then the timer. */
  override async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    await super.onApplicationBootstrap();
  }

  /** Reads the table and swaps the calendar's closures; one read at a time, errors logged. */
  refresh(): Promise<void> {
    return this.tick();
  }

  protected round(): Promise<void> {
    return this.load();
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.dataSource
        .getRepository(CalendarClosure)
        .find({ select: { date: true }, order: { date: 'ASC' } });
      const fromDatabase: string[] = [];
      for (const { date } of rows) {
        // One bad row must not hide the others (or the window would open on a closed day).
        if (DATE_PATTERN.test(date)) fromDatabase.push(date);
        else this.logger.warn(`calendar_closures: ignoring malformed date ${JSON.stringify(date)}`);
      }
      this.calendar.replaceClosures(this.valid([...this.options.closures, ...fromDatabase]));
    } catch (error) {
      // Keep the closures last loaded; the next interval tries again.
      this.logger.error(`could not load calendar closures: ${(error as Error).message}`);
    }
  }

  private valid(dates: string[]): string[] {
    const probe = new BusinessCalendar();
    return dates.filter((date) => {
      try {
        probe.closedReason(date);
        return true;
      } catch {
        this.logger.warn(`calendar_closures: ignoring impossible date ${JSON.stringify(date)}`);
        return false;
      }
    });
  }
}
