import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@madoguchi/config';
import { createIntakeApp, type IntakeAppOptions } from '../../apps/intake/src/intake-app.factory';
import type { TestEnvironment } from './test-database';

/** The real intake app on the test environment's database, ready for supertest. */
export async function startIntakeApp(
  testEnv: TestEnvironment,
  extraEnv: Record<string, string> = {},
  options: IntakeAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createIntakeApp(loadConfig({ ...testEnv.env, ...extraEnv }), options);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Every row of every table, as JSON text: what a database dump would reveal. */
export async function dumpDatabase(testEnv: TestEnvironment): Promise<string> {
  const { dataSource } = testEnv;
  const tables = dataSource.entityMetadatas.map((metadata) => metadata.tableName);
  const dump: Record<string, unknown> = {};
  for (const table of tables) {
    const quoted = dataSource.driver.escape(table);
    dump[table] = await dataSource.query(`SELECT * FROM ${quoted}`);
  }
  return JSON.stringify(dump);
}

export const VALID_INQUIRY = {
  name: '山田 花子',
  email: 'hanako.yamada@example.jp',
  phone: '090-1234-5678',
  orderNumber: 'ORD-20260401-7781',
  category: 'leak_check',
  message: '私のカード情報が流出したか確認したいです。',
  consent: true,
} as const;
