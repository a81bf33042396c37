import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

describe(`schema (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;

  beforeAll(async () => {
    // The schema the migrations themselves build, not the run's copied template.
    testEnv = await createTestEnvironment({}, { freshMigrations: true });
  });

  afterAll(async () => {
    await testEnv.cleanup();
  });

  it('should leave no difference between the entities and the migrated schema', async () => {
    const pending = await testEnv.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('should revert every migration and apply them again', async () => {
    const { dataSource } = testEnv;
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration();
    const [{ n }] = (await dataSource.query('SELECT COUNT(*) AS n FROM migrations')) as {
      n: number | string;
    }[];
    expect(Number(n)).toBe(0);
    const tables = await dataSource.createQueryRunner().getTables(['tickets']);
    expect(tables).toHaveLength(0);
    await dataSource.runMigrations();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toHaveLength(0);
  });
});
