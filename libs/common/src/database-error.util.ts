/** The driver's error code, as TypeORM passes errors on (wrapped or not). */
function driverCode(error: unknown): string | undefined {
  const candidate = error as { code?: string; driverError?: { code?: string } } | null;
  return candidate?.driverError?.code ?? candidate?.code;
}

/** A unique-key violation from MySQL/MariaDB or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverCode(error);
  return (
    code === 'ER_DUP_ENTRY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** A deadlock or lock-wait timeout (MySQL/MariaDB) or a busy database (SQLite). */
export function isLockConflict(error: unknown): boolean {
  const code = driverCode(error);
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

/** Driver codes of a database that cannot be reached or does not answer now. */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
]);

/**
 * The database is down, unreachable, overloaded or locked: the same work may succeed later (a
 * mail transport answers "try again" instead of refusing the mail).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = driverCode(error);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /connection (is not established|is not open|lost|closed)|pool is closed|closed state|not connected/i.test(
    message,
  );
}
