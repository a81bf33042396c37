import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { openDataSource } from '@madoguchi/schema';
import { runPendingMigrations } from '@madoguchi/database';

/** `node dist/scripts/migrate.js run|revert|show` — for production deploys and CI. */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'run';
  const dataSource = await openDataSource(loadConfig());
  try {
    switch (command) {
      case 'run': {
        const applied = await runPendingMigrations(dataSource);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
        break;
      }
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        break;
      case 'show':
        console.log(
          (await dataSource.showMigrations()) ? 'pending migrations exist' : 'up to date',
        );
        break;
      default:
        throw new Error(`unknown command "${command}" (run | revert | show)`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
