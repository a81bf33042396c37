import { Logger } from '@nestjs/common';
import { PollingWorker } from './polling-worker';

/** A worker whose rounds the test releases by hand. */
class ProbeWorker extends PollingWorker {
  enabled = true;
  rounds = 0;
  concurrent = 0;
  maxConcurrent = 0;
  failNext = false;
  private release: (() => void)[] = [];

  protected get intervalMs(): number {
    return 1_000;
  }

  protected startsOnBootstrap(): boolean {
    return this.enabled;
  }

  protected override failureMessage(error: unknown): string {
    return `probe failed: ${(error as Error).message}`;
  }

  protected async round(): Promise<void> {
    this.rounds++;
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    try {
      await new Promise<void>((resolve) => this.release.push(resolve));
      if (this.failNext) {
        this.failNext = false;
        throw new Error('database away');
      }
    } finally {
      this.concurrent--;
    }
  }

  /** Ends the round in progress. */
  finishRound(): void {
    this.release.shift()?.();
  }
}

/** Lets the promise callbacks queued so far run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('PollingWorker', () => {
  let worker: ProbeWorker;
  let errors: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    worker = new ProbeWorker();
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    worker.finishRound();
    await worker.stop();
    errors.mockRestore();
    jest.useRealTimers();
  });

  it('starts on bootstrap only when enabled, the first round one interval later', async () => {
    worker.enabled = false;
    await worker.onApplicationBootstrap();
    expect(worker.isRunning).toBe(false);

    worker.enabled = true;
    await worker.onApplicationBootstrap();
    expect(worker.isRunning).toBe(true);
    jest.advanceTimersByTime(999);
    expect(worker.rounds).toBe(0);
    jest.advanceTimersByTime(1);
    expect(worker.rounds).toBe(1);
  });

  it('never overlaps rounds: the next is scheduled an interval after the last one ends', async () => {
    worker.start();
    jest.advanceTimersByTime(1_000);
    expect(worker.rounds).toBe(1);
    // A slow round: however long it takes, no second one starts.
    jest.advanceTimersByTime(10_000);
    expect(worker.rounds).toBe(1);
    // A tick asked for meanwhile joins the round in flight.
    const joined = worker.tick();
    expect(worker.rounds).toBe(1);

    worker.finishRound();
    await joined;
    await settle();
    jest.advanceTimersByTime(999);
    expect(worker.rounds).toBe(1);
    jest.advanceTimersByTime(1);
    expect(worker.rounds).toBe(2);
    expect(worker.maxConcurrent).toBe(1);
  });

  it('logs a failed round and goes on', async () => {
    worker.start();
    worker.failNext = true;
    jest.advanceTimersByTime(1_000);
    worker.finishRound();
    await settle();
    expect(errors).toHaveBeenCalledWith('probe failed: database away');

    jest.advanceTimersByTime(1_000);
    expect(worker.rounds).toBe(2);
  });

  it('tick() never rejects: a failure is logged', async () => {
    worker.failNext = true;
    const round = worker.tick();
    worker.finishRound();
    await expect(round).resolves.toBeUndefined();
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('stops on shutdown, waiting for the round in flight, and schedules none after it', async () => {
    worker.start();
    jest.advanceTimersByTime(1_000);
    let stopped = false;
    const shutdown = worker.beforeApplicationShutdown().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);

    worker.finishRound();
    await shutdown;
    expect(stopped).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(worker.rounds).toBe(1);
  });

  it('starts again after a stop with one chain, even while the old round is in flight', async () => {
    worker.start();
    jest.advanceTimersByTime(1_000);
    void worker.stop();
    worker.start();
    jest.advanceTimersByTime(5_000);
    expect(worker.rounds).toBe(1);

    worker.finishRound();
    await settle();
    jest.advanceTimersByTime(1_000);
    expect(worker.rounds).toBe(2);
    worker.finishRound();
    await settle();
    jest.advanceTimersByTime(1_000);
    expect(worker.rounds).toBe(3);
    expect(worker.maxConcurrent).toBe(1);
  });

  it('unrefs its timer, so a pending poll never holds the process', () => {
    const unref = jest.fn();
    const setTimeoutSpy = jest
      .spyOn(global, 'setTimeout')
      .mockImplementation(() => ({ unref }) as unknown as NodeJS.Timeout);
    try {
      worker.start();
      expect(unref).toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });
});
