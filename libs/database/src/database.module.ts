import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@madoguchi/config';
import { type DatabaseSchema, resolveConnectionOptions } from './data-source-options';
import { DatabaseHealth } from './database-health.service';

/**
 * The app's one data source over the schema the caller gives (libs/schema's DatabaseModule);
 * feature modules add their repositories with forFeature.
 */
@Module({})
export class DatabaseConnectionModule {
  static forRoot(schema: DatabaseSchema): DynamicModule {
    return {
      module: DatabaseConnectionModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => ({
            ...(await resolveConnectionOptions(config, schema)),
            // Start even when the database is down: /healthz answers 503 and recovers with it.
            retryAttempts: 0,
            manualInitialization: false,
          }),
        }),
      ],
      providers: [DatabaseHealth],
      exports: [DatabaseHealth],
    };
  }
}
