export * from './blind-index';
export * from './crypto-keys';
export * from './crypto.module';
export * from './field-cipher';
export * from './normalise.util';
export * from './secret-token.util';
