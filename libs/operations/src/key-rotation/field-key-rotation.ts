import type { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { runTransaction } from '@madoguchi/common';
import { FieldCipher, FieldDecryptionError } from '@madoguchi/crypto';
import { ENCRYPTED_COLUMNS, type EncryptedTable } from '@madoguchi/schema';

export const KEY_ROTATION_BATCH_SIZE = 200;
/** Rows a concurrent write changed between read and update are read again this many times. */
const CONFLICT_RETRIES = 5;

export interface KeyRotationOptions {
  /** Rows read per batch (each row is then updated on its own). */
  batchSize?: number;
  /** The tables to work on; default every one in {@link ENCRYPTED_COLUMNS}. */
  tables?: readonly EncryptedTable[];
  /**
   * Called with each batch's row ids after the batch is read and before it is written: the
   * command prints progress here, and tests write to those rows meanwhile, as a live desk would.
   */
  onBatchRead?: (table: string, ids: number[]) => Promise<void> | void;
}

export interface TableRotationReport {
  table: string;
  /** Rows read. */
  scanned: number;
  /** Values re-encrypted under the active key. */
  rotated: number;
  /** Values that were already under the active key (left untouched). */
  alreadyCurrent: number;
  /** Row updates refused because the row changed after it was read (then read again). */
  conflicts: number;
  /** Values that do not open with any configured key (never overwritten). */
  unreadable: { id: number; column: string; keyId: string }[];
  /** Values still under another key at the end (a row kept changing): run again. */
  remaining: number;
}

export interface KeyRotationReport {
  activeKeyId: string;
  tables: TableRotationReport[];
  rotated: number;
  /** True when every value of every column now carries the active key id. */
  complete: boolean;
}

type Row = Record<string, unknown> & { id: number | string };

/**
 * Re-encrypts every FieldCipher value that is not under the active key, table by table in
 * batches by primary key. Each row is rewritten with a compare-and-set update (`… WHERE id = ?
 * AND col = <the ciphertext read>`), so a value a live desk wrote meanwhile is never
 * overwritten; such rows are read again. Values already under the active key are never written,
 * so the command is idempotent and, if interrupted, simply run again.
 */
export async function rotateFieldKeys(
  dataSource: DataSource,
  cipher: FieldCipher,
  options: KeyRotationOptions = {},
): Promise<KeyRotationReport> {
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? KEY_ROTATION_BATCH_SIZE));
  const tables: TableRotationReport[] = [];
  for (const spec of options.tables ?? ENCRYPTED_COLUMNS) {
    tables.push(await rotateTable(dataSource, cipher, spec, batchSize, options));
  }
  const report: KeyRotationReport = {
    activeKeyId: cipher.activeKeyId,
    tables,
    rotated: tables.reduce((sum, table) => sum + table.rotated, 0),
    complete: tables.every((table) => table.remaining === 0 && table.unreadable.length === 0),
  };
  // One audit event per run, with counts only (never a value or a key).
  await runTransaction(dataSource, (manager) =>
    new AuditService().record(manager, {
      actor: { type: 'system' },
      action: AUDIT_ACTIONS.keysRotated,
      merchantId: null,
      target: { type: 'field_key', id: report.activeKeyId },
      detail: {
        complete: report.complete,
        rotated: report.rotated,
        tables: Object.fromEntries(
          tables.map((table) => [
            table.table,
            {
              rotated: table.rotated,
              conflicts: table.conflicts,
              remaining: table.remaining,
              unreadable: table.unreadable.length,
            },
          ]),
        ),
      },
    }),
  );
  return report;
}

async function rotateTable(
  dataSource: DataSource,
  cipher: FieldCipher,
  spec: EncryptedTable,
  batchSize: number,
  options: KeyRotationOptions,
): Promise<TableRotationReport> {
  const q = (name: string) => dataSource.driver.escape(name);
  const table = q(spec.table);
  const id = q(spec.primaryKey);
  const columns = spec.columns.map((column) => `${q(column)} AS ${q(column)}`).join(', ');
  const report: TableRotationReport = {
    table: spec.table,
    scanned: 0,
    rotated: 0,
    alreadyCurrent: 0,
    conflicts: 0,
    unreadable: [],
    remaining: 0,
  };
  const unreadable = new Set<string>();

  /** Rewrites one row's stale values; false if the row changed since it was read. */
  const rewrite = async (row: Row): Promise<boolean> => {
    const stale: { column: string; old: string; fresh: string }[] = [];
    for (const column of spec.columns) {
      const value = row[column];
      if (typeof value !== 'string') continue;
      if (cipher.isUnderActiveKey(value)) continue;
      try {
        stale.push({ column, old: value, fresh: cipher.encrypt(cipher.decrypt(value)) });
      } catch (error) {
        if (!(error instanceof FieldDecryptionError)) throw error;
        const key = `${row.id}:${column}`;
        if (!unreadable.has(key)) {
          unreadable.add(key);
          report.unreadable.push({ id: Number(row.id), column, keyId: cipher.keyIdOf(value) });
        }
      }
    }
    if (stale.length === 0) return true;
    const sets = stale.map((each) => `${q(each.column)} = ?`).join(', ');
    const guards = stale.map((each) => `${q(each.column)} = ?`).join(' AND ');
    const runner = dataSource.createQueryRunner();
    try {
      const result = await runner.query(
        `UPDATE ${table} SET ${sets} WHERE ${id} = ? AND ${guards}`,
        [...stale.map((each) => each.fresh), row.id, ...stale.map((each) => each.old)],
        true,
      );
      if (affectedRows(result) !== 1) return false;
    } finally {
      await runner.release();
    }
    report.rotated += stale.length;
    return true;
  };

  const countCurrent = (row: Row) => {
    for (const column of spec.columns) {
      const value = row[column];
      if (typeof value === 'string' && cipher.isUnderActiveKey(value)) report.alreadyCurrent += 1;
    }
  };

  let conflicted: (number | string)[] = [];
  let lastId: number | string = 0;
  for (;;) {
    const rows: Row[] = await dataSource.query(
      `SELECT ${id} AS ${q('id')}, ${columns} FROM ${table} WHERE ${id} > ? ORDER BY ${id} LIMIT ${batchSize}`,
      [lastId],
    );
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1].id;
    report.scanned += rows.length;
    rows.forEach(countCurrent);
    await options.onBatchRead?.(
      spec.table,
      rows.map((row) => Number(row.id)),
    );
    for (const row of rows) {
      if (!(await rewrite(row))) {
        report.conflicts += 1;
        conflicted.push(row.id);
      }
    }
  }

  // Rows a live desk changed between our read and our update: read them again and retry.
  for (let round = 0; round < CONFLICT_RETRIES && conflicted.length > 0; round += 1) {
    const again: (number | string)[] = [];
    for (const rowId of conflicted) {
      const [row] = (await dataSource.query(
        `SELECT ${id} AS ${q('id')}, ${columns} FROM ${table} WHERE ${id} = ?`,
        [rowId],
      )) as Row[];
      if (row && !(await rewrite(row))) {
        report.conflicts += 1;
        again.push(rowId);
      }
    }
    conflicted = again;
  }
  report.remaining = await countNotUnderActiveKey(dataSource, cipher, spec);
  return report;
}

function affectedRows(result: unknown): number {
  const affected = (result as { affected?: number } | null)?.affected;
  return typeof affected === 'number' ? affected : 0;
}

/** How many values of the table's encrypted columns are under another key than the active one. */
export async function countNotUnderActiveKey(
  dataSource: DataSource,
  cipher: FieldCipher,
  spec: EncryptedTable,
): Promise<number> {
  const q = (name: string) => dataSource.driver.escape(name);
  let count = 0;
  let lastId: number | string = 0;
  for (;;) {
    const rows: Row[] = await dataSource.query(
      `SELECT ${q(spec.primaryKey)} AS ${q('id')}, ${spec.columns.map((c) => `${q(c)} AS ${q(c)}`).join(', ')} FROM ${q(spec.table)} WHERE ${q(spec.primaryKey)} > ? ORDER BY ${q(spec.primaryKey)} LIMIT 1000`,
      [lastId],
    );
    if (rows.length === 0) return count;
    lastId = rows[rows.length - 1].id;
    for (const row of rows) {
      for (const column of spec.columns) {
        const value = row[column];
        if (typeof value === 'string' && !cipher.isUnderActiveKey(value)) count += 1;
      }
    }
  }
}
