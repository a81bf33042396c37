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
