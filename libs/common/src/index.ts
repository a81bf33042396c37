export * from './error-code.constant';
export * from './domain.exception';
