export * from './app-config';
export * from './config.module';
export * from './trust-proxy.util';
