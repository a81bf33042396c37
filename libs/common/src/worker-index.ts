/** Set by an app's primary in each worker it forks (WORKERS > 1): 0 … WORKERS-1. */
export const WORKER_INDEX_VARIABLE = 'MADOGUCHI_WORKER_INDEX';

/**
 * This process's place among the app's workers: 0 when the app runs as one process. Work that
 * must happen once per app, not once per worker (the IMAP poller), runs in worker 0 only.
 */
export function workerIndex(): number {
  const index = Number(process.env[WORKER_INDEX_VARIABLE] ?? 0);
  return Number.isInteger(index) && index >= 0 ? index : 0;
}
