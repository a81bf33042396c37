import { TableForeignKey, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

// Schema API only (no dialect SQL): the same migration runs on MySQL/MariaDB and SQLite.
export const id = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
export const int = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
});
export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
export const datetime = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  isNullable: nullable,
});
export const bool = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'boolean',
  isNullable: nullable,
});

export const fk = (
  name: string,
  column: string,
  referencedTable: string,
  onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL',
): TableForeignKey =>
  new TableForeignKey({
    name,
    columnNames: [column],
    referencedTableName: referencedTable,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'NO ACTION',
  });

export const index = (name: string, columns: string[], isUnique = false): TableIndex =>
  new TableIndex({ name, columnNames: columns, isUnique });
