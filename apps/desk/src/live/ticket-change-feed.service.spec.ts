import { SystemClock } from '@madoguchi/common';
import type { AppConfig } from '@madoguchi/config';
import type { QueueService, TicketChangeBatch } from '@madoguchi/tickets';
import type { TenantScope } from '@madoguchi/tenancy';
import { TicketChangeFeed, type TicketsChangedEvent } from './ticket-change-feed.service';

type Change = TicketChangeBatch['changes'][number];

/** A stand-in for QueueService.changesSince: answers each scope's rows as the test sets them. */
class FakeQueues {
  rows = new Map<string, Change[]>();
  calls: Array<{ scope: TenantScope; since: Date }> = [];

  async changesSince(scope: TenantScope, since: Date): Promise<TicketChangeBatch> {
    this.calls.push({ scope, since });
    const changes =
      this.rows.get(scope.kind === 'merchant' ? `m${scope.merchantId}` : 'staff') ?? [];
    return {
      queueIds: [...new Set(changes.map((change) => change.queueId))],
      references: changes.map((change) => change.reference),
      changes,
      latest: since,
    };
  }
}

const config = { live: { pollIntervalMs: 1000 } } as AppConfig;
const merchant = (merchantId: number): TenantScope => ({ kind: 'merchant', userId: 1, merchantId });

describe('TicketChangeFeed', () => {
  let queues: FakeQueues;
  let feed: TicketChangeFeed;

  beforeEach(() => {
    jest.useFakeTimers();
    queues = new FakeQueues();
    // The system clock reads jest's fake time (setSystemTime).
    feed = new TicketChangeFeed(queues as unknown as QueueService, config, new SystemClock());
  });

  afterEach(() => {
    feed.onModuleDestroy();
    jest.useRealTimers();
  });

  async function tick(): Promise<void> {
    await jest.advanceTimersByTimeAsync(config.live.pollIntervalMs);
  }

  it('should tell each scope only its own changes, once per ticket version', async () => {
    const seenByA: TicketsChangedEvent[] = [];
    const seenByB: TicketsChangedEvent[] = [];
    feed.subscribe(merchant(1), (event) => seenByA.push(event));
    feed.subscribe(merchant(2), (event) => seenByB.push(event));
    queues.rows.set('m1', [{ reference: 'AAAA-AAAA', queueId: 10, version: 1 }]);
    await tick();
    // The same row read again (the window overlaps) is not a new change…
    await tick();
    expect(seenByA).toEqual([{ queueIds: [10] }]);
    // …its next version is.
    queues.rows.set('m1', [
      { reference: 'AAAA-AAAA', queueId: 10, version: 2 },
      { reference: 'BBBB-BBBB', queueId: 11, version: 1 },
    ]);
    await tick();
    expect(seenByA).toEqual([{ queueIds: [10] }, { queueIds: [10, 11] }]);
    expect(seenByB).toEqual([]);
  });

  it('should read from the whole second before its cursor (MySQL keeps whole seconds)', async () => {
    jest.setSystemTime(new Date('2026-04-01T01:00:06.300Z'));
    feed.subscribe(merchant(1), () => undefined);
    await tick();
    // Cursor 01:00:05.300 (one interval back); a row stored as 01:00:05 must still be read.
    expect(queues.calls[0].since).toEqual(new Date('2026-04-01T01:00:04.000Z'));
  });

  it('should share one query between subscribers of the same scope and stop when the last leaves', async () => {
    const first = feed.subscribe(merchant(1), () => undefined);
    const second = feed.subscribe(merchant(1), () => undefined);
    await tick();
    expect(queues.calls).toHaveLength(1);
    first();
    second();
    expect(feed.subscriberCount).toBe(0);
    await tick();
    await tick();
    expect(queues.calls).toHaveLength(1);
  });

  it('should end open streams on shutdown', () => {
    const close = jest.fn();
    feed.onShutdown(close);
    feed.onModuleDestroy();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
