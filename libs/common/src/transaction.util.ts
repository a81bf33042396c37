import type { DataSource, EntityManager } from 'typeorm';

const sqliteChains = new WeakMap<DataSource, Promise<unknown>>();

/**
 * `dataSource.transaction(work)`, except that on SQLite transactions of this process run one
 * after another. better-sqlite3 gives TypeORM a single connection, and two transactions started
 * concurrently on it collide ("cannot start a transaction within a transaction") or nest as
 * savepoints of each other. MySQL/MariaDB use pooled connections and run them concurrently;
 * their row locks and our conditional UPDATEs do the rest. `work` must not call this again.
 */
export function runTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource.transaction(work);
  const previous = sqliteChains.get(dataSource) ?? Promise.resolve();
  const run = previous.then(() => retryOnSnapshotConflict(() => dataSource.transaction(work)));
  sqliteChains.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}

/** Attempts of one SQLite transaction that keeps meeting writes of other processes. */
const SNAPSHOT_ATTEMPTS = 10;
/** A plain SQLITE_BUSY after this long came from the busy timeout: the file is really locked. */
const INSTANT_BUSY_MS = 1000;

/**
 * Several processes on one SQLite file (`npm start`: the intake writing inquiries while the
 * desk's mail worker writes the outbox). In WAL mode a transaction that read first and writes
 * second cannot wait for another process's write lock: SQLite answers at once with
 * SQLITE_BUSY (the other process holds the lock) or SQLITE_BUSY_SNAPSHOT (it committed since
 * our read), without the busy timeout. The transaction was rolled back whole, so it is run
 * again on a fresh snapshot. `work` must therefore have no effect outside the transaction.
 */
async function retryOnSnapshotConflict<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    try {
      return await transaction();
    } catch (error) {
      const code = sqliteCode(error);
      const conflict =
        code === 'SQLITE_BUSY_SNAPSHOT' ||
        (code === 'SQLITE_BUSY' && Date.now() - startedAt < INSTANT_BUSY_MS);
      if (!conflict || attempt >= SNAPSHOT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

function sqliteCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}
