import { Global, Module } from '@nestjs/common';
import { DatabaseConnectionModule, DatabaseHealth } from '@madoguchi/database';
import { DATABASE_READINESS } from '@madoguchi/http';
import { MADOGUCHI_SCHEMA } from './schema';

/**
 * The app's one data source over the whole schema; feature modules add their repositories
 * with forFeature. Also answers `/healthz`'s readiness question with DatabaseHealth.
 */
@Global()
@Module({
  imports: [DatabaseConnectionModule.forRoot(MADOGUCHI_SCHEMA)],
  providers: [{ provide: DATABASE_READINESS, useExisting: DatabaseHealth }],
  exports: [DatabaseConnectionModule, DATABASE_READINESS],
})
export class DatabaseModule {}
