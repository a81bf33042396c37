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
  const run = previous.then(() => dataSource.transaction(work));
  sqliteChains.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}
