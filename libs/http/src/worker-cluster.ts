import cluster, { type Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { WORKER_INDEX_VARIABLE } from '@madoguchi/common';
import { announceReady } from './announce-ready.util';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** A worker that died is replaced after this long, so a worker failing at start cannot spin. */
const RESPAWN_DELAY_MS = 1000;

export interface WorkerClusterOptions {
  /** The app's name in logs and in the ready message to `npm start`. */
  app: string;
  /** How many processes serve the port (WORKERS); 1 runs the app in this process. */
  workers: number;
  /** The primary's bound on its workers' graceful shutdown (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** Announced once every worker listens. */
  publicUrl: string;
}

/**
 * Runs `startApp` in this process, or, with WORKERS > 1, in that many worker processes that
 * share the listening port (node:cluster: the primary accepts and hands connections round
 * robin). The primary runs no app: it forks the workers, replaces one that dies, announces
 * "listening" when all of them listen, and on SIGTERM/SIGINT passes the signal on, waits for
 * every worker's graceful shutdown and exits 0 (1 if one failed or the deadline passed).
 */
export async function runWorkers(
  options: WorkerClusterOptions,
  startApp: () => Promise<void>,
): Promise<void> {
  if (options.workers <= 1 || cluster.isWorker) return startApp();
  superviseWorkers(options);
}

function superviseWorkers(options: WorkerClusterOptions): void {
  const logger = new Logger(`${options.app} primary`);
  const workers = new Map<Worker, number>();
  const listening = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let failed = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
    workers.set(worker, index);
    worker.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      listening.add(worker);
      if (announced) logger.log(`worker ${index} listening again`);
      else if (listening.size === options.workers) {
        announced = true;
        announceReady(options.app, options.publicUrl);
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const index = workers.get(worker);
    const wasListening = listening.delete(worker);
    workers.delete(worker);
    if (index === undefined) return;
    if (stopping) {
      // A worker still starting has no request to finish: SIGTERM ends it before its hooks exist.
      const stoppedWhileStarting = !wasListening && signal === 'SIGTERM';
      if (code !== 0 && !stoppedWhileStarting) failed = true;
      if (workers.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    logger.error(`worker ${index} exited (${code ?? signal}): starting a new one`);
    setTimeout(() => {
      if (!stopping) fork(index);
    }, RESPAWN_DELAY_MS).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping ${workers.size} workers, at most ${options.shutdownTimeoutMs} ms`);
    if (workers.size === 0) process.exit(0);
    for (const worker of workers.keys()) worker.process.kill('SIGTERM');
    // Each worker bounds its own shutdown; this one is the primary's, a little later.
    setTimeout(() => {
      logger.error('workers did not stop in time: killing them');
      for (const worker of workers.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownTimeoutMs + 2000).unref();
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => stop(signal));

  for (let index = 0; index < options.workers; index++) fork(index);
}
