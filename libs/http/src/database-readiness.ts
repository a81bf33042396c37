/**
 * What `/healthz` asks of the database. This lib sits beside libs/database, not above it, so
 * the app's database module binds DATABASE_READINESS to its implementation (libs/schema binds
 * libs/database's DatabaseHealth).
 */
export interface DatabaseReadiness {
  /** True when the database answers a trivial query within the timeout. */
  isHealthy(): Promise<boolean>;
  /** Migrations this build ships that the database has not applied (empty when current). */
  pendingMigrations(): Promise<string[]>;
}

export const DATABASE_READINESS = Symbol('DATABASE_READINESS');
