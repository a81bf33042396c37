import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@madoguchi/config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export type DatabaseKind = 'mysql' | 'mariadb' | 'sqlite';

/**
 * What the data source holds, supplied by the caller: this lib knows how to connect, not the
 * domain (the full schema is assembled above every domain lib, in libs/schema).
 */
export interface DatabaseSchema {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  subscribers: NonNullable<DataSourceOptions['subscribers']>;
}

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

/** The one place the connection is described: MySQL/MariaDB from DATABASE_URL, else SQLite. */
export function buildConnectionOptions(
  config: AppConfig,
  kind: DatabaseKind,
  schema: DatabaseSchema,
): DataSourceOptions {
  const common = {
    entities: schema.entities,
    migrations: schema.migrations,
    namingStrategy: new SnakeNamingStrategy(),
    subscribers: schema.subscribers,
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

export async function resolveConnectionOptions(
  config: AppConfig,
  schema: DatabaseSchema,
): Promise<DataSourceOptions> {
  return buildConnectionOptions(config, await detectDatabaseKind(config), schema);
}
