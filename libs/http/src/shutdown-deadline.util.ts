import { Logger } from '@nestjs/common';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Bounds a graceful shutdown. On SIGTERM/SIGINT Nest's shutdown hooks (createFastifyApp)
 * end the live streams, let the outbox worker and the job runner finish their current item
 * and release their leases, close the HTTP server (no new connections; requests in flight
 * get their answers; new requests on kept-alive connections get 503), close the database
 * and exit with 0. If that takes longer than `timeoutMs` (a request that never ends, an SMTP
 * server that never answers), this exits with 1; leases left behind expire by themselves.
 */
export function enforceShutdownDeadline(app: string, timeoutMs: number): void {
  const logger = new Logger(app);
  let armed = false;
  const arm = (signal: string) => {
    if (armed) return;
    armed = true;
    logger.log(`${signal}: shutting down, at most ${timeoutMs} ms`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms: exiting now`);
      process.exit(1);
    }, timeoutMs).unref();
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, arm);
}
