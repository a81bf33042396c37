import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { type AppConfig, loadConfig } from '@madoguchi/config';
import { resolveDataSourceOptions } from '@madoguchi/schema';
import { TEMPLATE_DIR_VARIABLE } from './migrated-template.global-setup';

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

export interface TestEnvironmentOptions {
  /**
   * Another MariaDB server (a private one a fault test stops and starts), whatever TEST_DB
   * says. Such a database is always migrated afresh.
   */
  mysqlServerUrl?: string;
  /** Run every migration on the new database instead of copying the run's migrated template. */
  freshMigrations?: boolean;
}

/**
 * A fresh database per test file (SQLite file or a MariaDB database of its own), migrated,
 * with keys of its own; dropped again by cleanup().
 *
 * Migrating takes most of a file's set-up, so the schema is migrated once per run (see
 * migrated-template.global-setup.ts) and copied: the SQLite file, or on MariaDB the tables'
 * `SHOW CREATE TABLE` and the migrations table's rows. The migrations write no row but their
 * own record into an empty database, so nothing in the copy depends on the file's keys.
 */
export async function createTestEnvironment(
  extraEnv: Record<string, string> = {},
  options: TestEnvironmentOptions = {},
): Promise<TestEnvironment> {
  const useMysql = TEST_DB === 'mysql' || options.mysqlServerUrl !== undefined;
  const serverUrl = options.mysqlServerUrl ?? MYSQL_SERVER_URL;
  const templateDir =
    options.freshMigrations || options.mysqlServerUrl !== undefined
      ? undefined
      : process.env[TEMPLATE_DIR_VARIABLE];
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
  let copied = false;
  if (useMysql) {
    const admin = await createConnection({ uri: serverUrl });
    try {
      await createMysqlDatabase(admin, databaseName);
      if (templateDir) {
        await copyMysqlSchema(admin, databaseName, await mysqlTemplate(templateDir, serverUrl));
        copied = true;
      }
    } finally {
      await admin.end();
    }
    env.DATABASE_URL = `${serverUrl}/${databaseName}`;
  } else {
    env.SQLITE_PATH = join(varDir, 'test.sqlite');
    if (templateDir) {
      copyFileSync(await sqliteTemplate(templateDir), env.SQLITE_PATH);
      copied = true;
    }
  }
  const config = loadConfig(env);
  const dataSource = new DataSource(await resolveDataSourceOptions(config));
  await dataSource.initialize();
  if (!copied) await dataSource.runMigrations({ transaction: 'each' });
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

async function createMysqlDatabase(admin: Connection, name: string): Promise<void> {
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

/** Keys for a template's configuration: an empty database's migrations never read them. */
function templateEnv(templateDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    MADOGUCHI_VAR_DIR: templateDir,
    FIELD_ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}

async function migrate(config: AppConfig, prepare?: (ds: DataSource) => Promise<void>) {
  const dataSource = new DataSource(await resolveDataSourceOptions(config));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await prepare?.(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The run's migrated SQLite file. Two workers may both find it missing and both build one:
 * each builds under its own name and renames it into place, so no reader sees half a file.
 */
async function sqliteTemplate(templateDir: string): Promise<string> {
  const template = join(templateDir, 'migrated.sqlite');
  if (existsSync(template)) return template;
  const building = join(templateDir, `building-${process.pid}-${randomBytes(4).toString('hex')}`);
  await migrate(loadConfig({ ...templateEnv(templateDir), SQLITE_PATH: building }), (ds) =>
    // Out of WAL mode, the whole database is in the one file that gets copied.
    ds.query('PRAGMA journal_mode = DELETE'),
  );
  renameSync(building, template);
  return template;
}

interface MysqlTemplate {
  /** `SHOW CREATE TABLE` of every table, foreign keys included (`CREATE TABLE … LIKE` drops them). */
  tables: string[];
  migrations: Record<string, unknown>[];
}

/**
 * The run's migrated MariaDB schema, as DDL in a file: migrated once into a scratch database
 * on the server, read back and dropped. Written like the SQLite template, rename into place.
 */
async function mysqlTemplate(templateDir: string, serverUrl: string): Promise<MysqlTemplate> {
  const file = join(templateDir, `mysql-${Buffer.from(serverUrl).toString('hex')}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as MysqlTemplate;
  const scratch = `madoguchi_tmpl_${randomBytes(5).toString('hex')}`;
  const admin = await createConnection({ uri: serverUrl });
  try {
    await createMysqlDatabase(admin, scratch);
    let template: MysqlTemplate = { tables: [], migrations: [] };
    await migrate(
      loadConfig({ ...templateEnv(templateDir), DATABASE_URL: `${serverUrl}/${scratch}` }),
      async (ds) => {
        const tables = (await ds.query(
          `SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
        )) as { name: string }[];
        const ddl: string[] = [];
        for (const { name } of tables) {
          const [row] = (await ds.query(`SHOW CREATE TABLE \`${name}\``)) as Record<
            string,
            string
          >[];
          ddl.push(row['Create Table']);
        }
        const migrations = (await ds.query('SELECT * FROM `migrations` ORDER BY `id`')) as Record<
          string,
          unknown
        >[];
        template = { tables: ddl, migrations };
      },
    );
    const building = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    writeFileSync(building, JSON.stringify(template));
    renameSync(building, file);
    return template;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
    await admin.end();
  }
}

async function copyMysqlSchema(
  admin: Connection,
  databaseName: string,
  template: MysqlTemplate,
): Promise<void> {
  // The tables in any order: foreign keys name tables created later.
  await admin.query(`USE \`${databaseName}\``);
  await admin.query('SET SESSION foreign_key_checks = 0');
  for (const ddl of template.tables) await admin.query(ddl);
  for (const row of template.migrations) {
    const columns = Object.keys(row);
    await admin.query(
      `INSERT INTO \`migrations\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`,
      [columns.map((c) => row[c])],
    );
  }
}
