export * from './data-source-options';
export * from './database.module';
export * from './encrypted-columns';
export * from './entities';
export * from './migrations';
export * from './schema';
