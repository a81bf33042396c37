import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What `/healthz` reports: the database answers, and its schema is the one this code expects. */
export interface DatabaseHealthReport {
  /** The database answered a trivial query within the timeout. */
  database: boolean;
  /** Migrations this code ships that the database has not applied (empty when current). */
  pendingMigrations: string[];
}

@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

  /** True when the database answers a trivial query within the timeout. */
  async isHealthy(timeoutMs = 2000): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.dataSource.query('SELECT 1').then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The migrations of this build not yet recorded in the database's migrations table (all of
   * them when the table does not exist). Read-only: unlike TypeORM's `showMigrations` it never
   * creates the table. During a rolling upgrade a new instance answers 503 until
   * `npm run migration:run` has applied its migrations (docs/operations.md). One small query
   * per probe, read afresh each time, so a reverted migration shows at once.
   */
  async pendingMigrations(): Promise<string[]> {
    const expected = this.dataSource.migrations.map(
      (migration) => migration.name ?? migration.constructor.name,
    );
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    let applied: Set<string>;
    try {
      const rows: { name: string }[] = await this.dataSource
        .createQueryBuilder()
        .select('m.name', 'name')
        .from(table, 'm')
        .getRawMany();
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      if (!(await this.hasMigrationsTable(table))) return expected;
      throw error;
    }
    return expected.filter((name) => !applied.has(name));
  }

  private async hasMigrationsTable(table: string): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await runner.hasTable(table);
    } finally {
      await runner.release();
    }
  }
}
