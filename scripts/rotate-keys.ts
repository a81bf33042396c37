import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { FieldCipher, resolveCryptoKeys } from '@madoguchi/crypto';
import { openDataSource } from '@madoguchi/schema';
import { rotateFieldKeys } from '@madoguchi/operations';

/**
 * `npm run keys:rotate [-- --batch-size=N]`: re-encrypts every encrypted column under the active
 * field key (FIELD_ENCRYPTION_ACTIVE_KEY, else the first of FIELD_ENCRYPTION_KEYS). Safe while
 * the apps serve; idempotent; exits 1 if anything is left under an old key (run it again).
 */
async function main(): Promise<void> {
  const batchArg = process.argv.find((arg) => arg.startsWith('--batch-size='));
  const batchSize = batchArg ? Number(batchArg.split('=')[1]) : undefined;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new Error('--batch-size must be a positive whole number');
  }
  const config = loadConfig();
  const keys = resolveCryptoKeys(config);
  const cipher = new FieldCipher(keys);
  const dataSource = await openDataSource(config);
  try {
    console.log(
      `re-encrypting under key "${cipher.activeKeyId}" (keys configured: ${[...keys.fieldKeys.keys()].join(', ')})`,
    );
    const report = await rotateFieldKeys(dataSource, cipher, { batchSize });
    for (const table of report.tables) {
      console.log(
        `${table.table}: ${table.scanned} rows read, ${table.rotated} values re-encrypted, ` +
          `${table.alreadyCurrent} already under "${report.activeKeyId}", ` +
          `${table.conflicts} changed meanwhile (re-read), ${table.remaining} left, ` +
          `${table.unreadable.length} unreadable`,
      );
      for (const value of table.unreadable) {
        console.log(
          `  unreadable: ${table.table}.${value.column} id ${value.id} (key "${value.keyId}")`,
        );
      }
    }
    console.log(
      report.complete
        ? `done: ${report.rotated} values re-encrypted; every value is under "${report.activeKeyId}"`
        : 'not complete: some values are still under another key or unreadable; run again',
    );
    if (!report.complete) process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
