import { DataSource } from 'typeorm';
import type { AppConfig } from '@madoguchi/config';
import { type DatabaseSchema, resolveConnectionOptions } from './data-source-options';

/** Opens a short-lived data source for commands (migrate, seed) outside the Nest apps. */
export async function openConnection(
  config: AppConfig,
  schema: DatabaseSchema,
): Promise<DataSource> {
  const dataSource = new DataSource(await resolveConnectionOptions(config, schema));
  await dataSource.initialize();
  return dataSource;
}

/** Applies pending migrations, each in its own transaction; returns the names applied. */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}
