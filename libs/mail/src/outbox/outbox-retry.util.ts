/**
 * After this many permanent refusals (SMTP 5xx) a job is dead: kept in the table, no longer
 * retried. Transient failures (server down, timeouts, 4xx) never kill a job: a dead SMTP
 * server delays mail and loses none.
 */
export const OUTBOX_MAX_ATTEMPTS = 12;

/** True when the SMTP server refused the mail for good (a 5xx reply), not when it was unreachable. */
export function isPermanentDeliveryFailure(error: unknown): boolean {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

/** How long a worker owns a claimed job; longer than the SMTP transport's timeouts. */
export const OUTBOX_LEASE_MS = 60_000;

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
const JITTER = 0.2;
const LAST_ERROR_MAX = 500;

/**
 * Delay before the next attempt after `attempts` failures: 30 s × 2^(attempts−1), capped at
 * 1 h, ±20 % jitter so that jobs failed by one outage do not all come back at one instant.
 */
export function outboxRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

const EMAIL_LIKE = /[^\s<>"'()[\],;:]+@[^\s<>"'()[\],;:]+/g;

/**
 * A delivery error as stored in `last_error` and logged: one line, at most 500 characters,
 * and without anything that looks like an address (SMTP replies often echo the recipient).
 */
export function describeDeliveryError(error: unknown): string {
  const details = error as { code?: unknown; command?: unknown; message?: unknown } | null;
  const message =
    error instanceof Error
      ? error.message
      : typeof details?.message === 'string'
        ? details.message
        : String(error);
  const prefix = [details?.code, details?.command].filter(
    (part) => typeof part === 'string' && part !== '',
  );
  const line = `${prefix.length > 0 ? `${prefix.join(' ')}: ` : ''}${message}`
    .replace(EMAIL_LIKE, '[address]')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > LAST_ERROR_MAX ? `${line.slice(0, LAST_ERROR_MAX - 1)}…` : line;
}

/** `taro@example.com` → `t***@example.com`: enough to tell mails apart in a log, no more. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}
