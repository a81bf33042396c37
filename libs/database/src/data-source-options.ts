import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';
import { AuditEventAppendOnlySubscriber } from '@madoguchi/audit';
import type { AppConfig } from '@madoguchi/config';
import { ALL_ENTITIES } from './entities';
import { ALL_MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export type DatabaseKind = 'mysql' | 'mariadb' | 'sqlite';

/**
 * MariaDB reports column defaults differently from MySQL, and TypeORM compares schemas by
 * driver type: `mariadb://` says so, `mysql://` asks the server once at start-up.
 */
export async function detectDatabaseKind(config: AppConfig): Promise<DatabaseKind> {
  const url = config.database.url;
  if (!url) return 'sqlite';
  if (url.startsWith('mariadb:')) return 'mariadb';
  const connection = await createConnection({
    uri: url.replace(/^mysql:/, 'mysql:'),
    connectTimeout: 5000,
  });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as { version: string }[])[0]?.version ?? '');
    return version.toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/** The one place the data source is described: MySQL/MariaDB from DATABASE_URL, else SQLite. */
export function buildDataSourceOptions(config: AppConfig, kind: DatabaseKind): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    // The audit trail is append-only: updates and deletes of an AuditEvent throw.
    subscribers: [AuditEventAppendOnlySubscriber],
    synchronize: false,
    migrationsRun: false,
    // An undefined or null id must never widen a query to the whole table.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    logging: ['error'],
  } satisfies Partial<DataSourceOptions>;
  if (kind !== 'sqlite') {
    if (!config.database.url) throw new Error('DATABASE_URL is not set');
    return {
      ...common,
      type: kind,
      url: config.database.url.replace(/^mariadb:/, 'mysql:'),
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      connectTimeout: 5000,
      extra: { connectionLimit: 20, enableKeepAlive: true },
    };
  }
  mkdirSync(dirname(config.database.sqlitePath), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.sqlitePath,
    // Three processes share the file in `npm start`: WAL lets readers go on while one writes.
    enableWAL: true,
    timeout: 10000,
  };
}

export async function resolveDataSourceOptions(config: AppConfig): Promise<DataSourceOptions> {
  return buildDataSourceOptions(config, await detectDatabaseKind(config));
}
