export * from './create-fastify-app';
export * from './database-unavailable.util';
export * from './error-status.constant';
export * from './health.controller';
export * from './http-error-body';
export * from './http-exception.filter';
export * from './announce-ready.util';
