import type { DataSource, DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@madoguchi/config';
import {
  buildConnectionOptions,
  type DatabaseKind,
  openConnection,
  resolveConnectionOptions,
} from '@madoguchi/database';
import { MADOGUCHI_SCHEMA } from './schema';

/** The data source of Madoguchi's schema: MySQL/MariaDB from DATABASE_URL, else SQLite. */
export function buildDataSourceOptions(config: AppConfig, kind: DatabaseKind): DataSourceOptions {
  return buildConnectionOptions(config, kind, MADOGUCHI_SCHEMA);
}

export function resolveDataSourceOptions(config: AppConfig): Promise<DataSourceOptions> {
  return resolveConnectionOptions(config, MADOGUCHI_SCHEMA);
}

/** Opens a short-lived data source for commands (migrate, seed) outside the Nest apps. */
export function openDataSource(config: AppConfig): Promise<DataSource> {
  return openConnection(config, MADOGUCHI_SCHEMA);
}
