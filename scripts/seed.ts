import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { openDataSource } from '@madoguchi/schema';
import { runPendingMigrations } from '@madoguchi/database';
import { seedDemoData } from '@madoguchi/operations';

/** `npm run seed`: the demo data, into an empty database, never in production. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.isProduction) throw new Error('refusing to seed demo data in production');
  const dataSource = await openDataSource(config);
  try {
    await runPendingMigrations(dataSource);
    console.log(
      (await seedDemoData(dataSource, config.demoPassword))
        ? 'demo data seeded'
        : 'database not empty: nothing seeded',
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
