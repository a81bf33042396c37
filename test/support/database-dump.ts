import type { DataSource } from 'typeorm';

/** One stored value: where it is and its text (Buffers as UTF-8, dates as ISO). */
export interface DumpedValue {
  table: string;
  column: string;
  id: unknown;
  text: string;
}

/**
 * Every table the database holds (read from the schema, not from the entity list, so a table
 * no entity names is dumped too), every row, every column: what a stolen dump would show.
 */
export async function dumpEveryTable(dataSource: DataSource): Promise<DumpedValue[]> {
  const tables: { name: string }[] =
    dataSource.options.type === 'better-sqlite3'
      ? await dataSource.query(
          "SELECT name AS name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
      : await dataSource.query(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
        );
  const values: DumpedValue[] = [];
  for (const { name } of tables) {
    const rows: Record<string, unknown>[] = await dataSource.query(
      `SELECT * FROM ${dataSource.driver.escape(name)}`,
    );
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        values.push({ table: name, column, id: row.id ?? null, text: textOf(value) });
      }
    }
  }
  return values;
}

function textOf(value: unknown): string {
  if (Buffer.isBuffer(value)) return `${value.toString('utf8')} ${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
