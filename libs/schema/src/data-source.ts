import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@madoguchi/config';
import { buildDataSourceOptions } from './data-source-options';

/**
 * For the TypeORM CLI (`npm run migration:generate`), which needs a data source it can import.
 * Use a `mariadb://` URL against MariaDB so the generated diff is right.
 */
const config = loadConfig();
const url = config.database.url;
export default new DataSource(
  buildDataSourceOptions(
    config,
    !url ? 'sqlite' : url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
  ),
);
