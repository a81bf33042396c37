const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  // Another process's write won (several processes on one SQLite file); runTransaction retries first.
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/** True when an error means the database could not be reached, rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const candidate = error as {
    code?: string;
    driverError?: { code?: string };
    name?: string;
    message?: string;
  };
  const code = candidate?.driverError?.code ?? candidate?.code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  if (
    candidate?.name === 'ConnectionIsNotSetError' ||
    candidate?.name === 'CannotExecuteNotConnectedError'
  ) {
    return true;
  }
  return /database connection is not open|connection is not established|Pool is closed/i.test(
    candidate?.message ?? '',
  );
}
