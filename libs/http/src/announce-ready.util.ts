import cluster from 'node:cluster';

/**
 * Tells a parent launcher (`npm start`) that this app listens, so it can print the summary last.
 * A worker of a WORKERS > 1 app tells its primary, which announces once all of them listen.
 */
export function announceReady(app: string, url: string): void {
  if (!cluster.isWorker) console.log(`${app} listening on ${url}`);
  process.send?.({ type: 'ready', app });
}
