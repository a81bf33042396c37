import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Clock, PollingWorker } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { QueueService } from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';

/** What a live subscriber is told: which of its queues changed. No personal data, no references. */
export interface TicketsChangedEvent {
  queueIds: number[];
}

export type TicketsChangedListener = (event: TicketsChangedEvent) => void;

/** Subscribers with the same scope share one query per poll. */
interface ScopeGroup {
  scope: TenantScope;
  cursor: Date;
  /** `reference:version` of each change in the last window read, so a re-read is not a new event. */
  seen: Set<string>;
  listeners: Set<TicketsChangedListener>;
}

/**
 * The desk's live-update source: one poller per process reads ticket changes from the
 * database (so changes made by another desk instance or by the intake arrive too) and tells
 * each subscriber about the queues of its own scope only. The read goes through
 * QueueService.changesSince, i.e. through the one scoped ticket query: a merchant's
 * subscribers are never told about another merchant's queues.
 *
 * The poller (a PollingWorker) starts with the first subscriber and stops with the last (and on
 * shutdown). Each change (a ticket's new version) is told once per subscriber scope; several
 * changes of one poll make one event.
 */
@Injectable()
export class TicketChangeFeed extends PollingWorker implements OnModuleDestroy {
  private readonly groups = new Map<string, ScopeGroup>();
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly queues: QueueService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.live.pollIntervalMs;
  }

  /** Not at bootstrap: with the first subscriber. */
  protected startsOnBootstrap(): boolean {
    return false;
  }

  /** One round: a scoped change query per distinct scope; a slow round is not overlapped. */
  protected async round(): Promise<void> {
    for (const group of [...this.groups.values()]) await this.pollGroup(group);
  }

  /** Starts telling `listener` about changes in `scope`; returns the unsubscribe function. */
  subscribe(scope: TenantScope, listener: TicketsChangedListener): () => void {
    const key = scopeKey(scope);
    let group = this.groups.get(key);
    if (!group) {
      // A little behind now: a change committed while the page was loading still arrives.
      group = {
        scope,
        cursor: new Date(this.clock.now().getTime() - this.config.live.pollIntervalMs),
        seen: new Set(),
        listeners: new Set(),
      };
      this.groups.set(key, group);
    }
    group.listeners.add(listener);
    this.start();
    return () => {
      const current = this.groups.get(key);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.groups.delete(key);
      if (this.groups.size === 0) void this.stop();
    };
  }

  /** Registers a way to end an open stream on shutdown (an open SSE response would hold the server). */
  onShutdown(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get subscriberCount(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.listeners.size;
    return count;
  }

  onModuleDestroy(): void {
    void this.stop();
    for (const close of [...this.closers]) close();
    this.closers.clear();
    this.groups.clear();
  }

  private async pollGroup(group: ScopeGroup): Promise<void> {
    try {
      const batch = await this.queues.changesSince(group.scope, windowStart(group.cursor));
      // Never backwards: with nothing new, `latest` is just the window start handed in.
      if (batch.latest > group.cursor) group.cursor = batch.latest;
      const keys = new Set(batch.changes.map((change) => `${change.reference}:${change.version}`));
      const fresh = batch.changes.filter(
        (change) => !group.seen.has(`${change.reference}:${change.version}`),
      );
      // A change leaves the window for good (its updated_at only grows), so only this window's keys are kept.
      group.seen = keys;
      if (fresh.length === 0) return;
      const queueIds = [...new Set(fresh.map((change) => change.queueId))].sort((a, b) => a - b);
      for (const listener of [...group.listeners]) listener({ queueIds });
    } catch (error) {
      // The database may be away for a moment; the next round tries again from the same cursor.
      this.logger.warn(`live change poll failed: ${(error as Error).message}`);
    }
  }
}

/**
 * MySQL's DATETIME keeps whole seconds and rounds: a change at 12:00:06.300 is stored as
 * 12:00:06, before a cursor of 12:00:06.200. Reading from the whole second before the cursor's
 * second cannot miss such a row; the rows read again are told apart by their version.
 */
function windowStart(cursor: Date): Date {
  return new Date(Math.floor(cursor.getTime() / 1000) * 1000 - 1000);
}

function scopeKey(scope: TenantScope): string {
  switch (scope.kind) {
    case 'merchant':
      return `merchant:${scope.merchantId}`;
    case 'staff':
      return scope.queueIds === 'all'
        ? 'staff:all'
        : `staff:${[...scope.queueIds].sort((a, b) => a - b).join(',')}`;
  }
}
