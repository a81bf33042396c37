import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@madoguchi/config';
import { resolveDataSourceOptions } from './data-source-options';
import { DatabaseHealth } from './database-health.service';

/** The app's one data source; feature modules add their repositories with forFeature. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => ({
        ...(await resolveDataSourceOptions(config)),
        // Start even when the database is down: /healthz answers 503 and recovers with it.
        retryAttempts: 0,
        manualInitialization: false,
      }),
    }),
  ],
  providers: [DatabaseHealth],
  exports: [DatabaseHealth],
})
export class DatabaseModule {}
