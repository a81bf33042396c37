import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';

/**
 * A loop that does one round of work, waits a fixed interval, and does the next: the outbox, the
 * bulk send, the desk's jobs, the calendar closures and the live change feed. The next round is
 * scheduled only when the last one has ended (a setTimeout chain), so rounds never overlap; a
 * failed round is logged and the loop goes on. The timer is unref'd: it never keeps the process
 * alive on its own. Shutdown (before the data source closes) stops the loop and waits for the
 * round in progress.
 */
export abstract class PollingWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Named after the subclass, as each worker's own logger was. */
  protected readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private active = false;

  /** One round of work. A thrown error is logged with {@link failureMessage}. */
  protected abstract round(): Promise<unknown>;

  /** The pause between the end of one round and the start of the next. */
  protected abstract get intervalMs(): number;

  /** Whether application bootstrap starts the loop (the worker's enable flag). */
  protected abstract startsOnBootstrap(): boolean;

  /** The log line of a failed round. */
  protected failureMessage(error: unknown): string {
    return `round failed: ${error instanceof Error ? error.message : String(error)}`;
  }

  onApplicationBootstrap(): void | Promise<void> {
    if (this.startsOnBootstrap()) this.start();
  }

  /** Before, not on, shutdown: the round in progress may still need the data source. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Whether the loop is on (started and not stopped). */
  get isRunning(): boolean {
    return this.active;
  }

  /** Starts the loop: the first round one interval from now. Starting it twice does nothing. */
  start(): void {
    if (this.active) return;
    this.active = true;
    // A round in flight (stopped, then started again) schedules the next when it ends.
    this.schedule();
  }

  /** Stops the loop; resolves when the round in progress, if any, has ended. */
  stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.inFlight ?? Promise.resolve();
  }

  /**
   * One round now, for tests and for callers that need fresh work done; joins the round already
   * in flight instead of starting a second one. Never rejects: a failure is logged.
   */
  tick(): Promise<void> {
    this.inFlight ??= this.guardedRound().finally(() => {
      this.inFlight = undefined;
      // The next round counts its interval from the end of this one.
      this.schedule();
    });
    return this.inFlight;
  }

  private schedule(): void {
    if (!this.active || this.timer || this.inFlight) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, this.intervalMs);
    this.timer.unref();
  }

  private async guardedRound(): Promise<void> {
    try {
      await this.round();
    } catch (error) {
      this.logger.error(this.failureMessage(error));
    }
  }
}
