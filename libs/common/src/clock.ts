/**
 * Where "now" comes from. Services that decide by the time (SLA and due dates, claims, sessions,
 * retention, the outbox's retries, the telephony window's hours) inject a Clock instead of calling
 * `new Date()`, so tests pass a fixed clock to the app's factory (ClockModule provides it). A lint
 * rule (eslint.config.mjs) refuses an argument-less `new Date()` elsewhere. There is no global
 * time override: production always runs on {@link SystemClock}.
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
