import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { type AppConfig, loadConfig } from '@madoguchi/config';
import { resolveDataSourceOptions } from '@madoguchi/database';

/** Which database the e2e tier runs on: `TEST_DB=mysql` for MariaDB/MySQL, else SQLite. */
export const TEST_DB: 'mysql' | 'sqlite' = process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
const MYSQL_SERVER_URL = (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
  /\/+$/,
  '',
);

export interface TestEnvironment {
  config: AppConfig;
  env: Record<string, string>;
  /** A migrated data source of its own, for arranging and asserting. */
  dataSource: DataSource;
  databaseName: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh database per test file (SQLite file or a MariaDB database of its own), migrated,
 * with keys of its own; dropped again by cleanup(). `mysqlServerUrl` puts it on another
 * MariaDB server (a private one a fault test stops and starts), whatever TEST_DB says.
 */
export async function createTestEnvironment(
  extraEnv: Record<string, string> = {},
  options: { mysqlServerUrl?: string } = {},
): Promise<TestEnvironment> {
  const useMysql = TEST_DB === 'mysql' || options.mysqlServerUrl !== undefined;
  const serverUrl = options.mysqlServerUrl ?? MYSQL_SERVER_URL;
  const varDir = mkdtempSync(join(tmpdir(), 'madoguchi-test-'));
  const databaseName = `madoguchi_t_${randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    MADOGUCHI_VAR_DIR: varDir,
    FIELD_ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    OUTBOX_WORKER: 'off',
    INTAKE_PUBLIC_URL: 'http://intake.test',
    ...extraEnv,
  };
  if (useMysql) {
    const admin = await createConnection({ uri: serverUrl });
    await admin.query(
      `CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await admin.end();
    env.DATABASE_URL = `${serverUrl}/${databaseName}`;
  } else {
    env.SQLITE_PATH = join(varDir, 'test.sqlite');
  }
  const config = loadConfig(env);
  const dataSource = new DataSource(await resolveDataSourceOptions(config));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    config,
    env,
    dataSource,
    databaseName,
    async cleanup() {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (useMysql) {
        const admin = await createConnection({ uri: serverUrl });
        await admin.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
        await admin.end();
      }
      rmSync(varDir, { recursive: true, force: true });
    },
  };
}
