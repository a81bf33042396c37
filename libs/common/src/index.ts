export * from './error-code.constant';
export * from './domain.exception';
export * from './transaction.util';
export * from './clock';
export * from './tokyo-date.util';
export * from './database-error.util';
export * from './canned-placeholder.util';
