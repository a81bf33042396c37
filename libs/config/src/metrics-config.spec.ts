import 'reflect-metadata';
import { ConfigInvalidError, loadConfig } from './app-config';

describe('metrics configuration', () => {
  it('should expose no metrics by default, and listen on loopback when METRICS_PORT is set', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).metrics).toEqual({
      port: undefined,
      host: '127.0.0.1',
      token: undefined,
    });
    expect(loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464' }).metrics).toMatchObject({
      port: 9464,
      host: '127.0.0.1',
    });
  });

  it('should name the variable of a bad port or a short token', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_PORT: '65535' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(
      ConfigInvalidError,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
