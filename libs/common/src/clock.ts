/**
 * Where "now" comes from. Services that decide by the time of day (the telephony window's hours)
 * inject a Clock instead of calling `new Date()`, so tests pass a fixed clock to the app's factory.
 * There is no global time override: production always runs on {@link SystemClock}.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until told otherwise: for tests. */
export class FixedClock extends Clock {
  private current: number;

  constructor(at: Date | string) {
    super();
    this.current = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
