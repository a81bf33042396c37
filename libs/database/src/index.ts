export * from './data-source-options';
export * from './database-health.service';
export * from './database.module';
export * from './snake-naming.strategy';
export * from './migration-runner';
