import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigInvalidError, loadConfig } from './app-config';
import { isLoopbackHost, parseTrustProxy } from './trust-proxy.util';

const varDir = mkdtempSync(join(tmpdir(), 'madoguchi-config-'));
const KEYS = {
  FIELD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
};

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['off', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['10.0.0.0/8, 192.0.2.10 ,::1/128', ['10.0.0.0/8', '192.0.2.10', '::1/128']],
  ])('should read %j as %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual({ value: expected });
  });

  it.each(['yes please', '10.0.0.0/33', '10.0.0/8', 'proxy.example', '1.5', '-1'])(
    'should refuse %j, naming the variable',
    (value) => {
      const parsed = parseTrustProxy(value);
      expect(parsed).toEqual({ problem: expect.stringMatching(/^TRUST_PROXY: /) });
      expect(() =>
        loadConfig({ NODE_ENV: 'test', MADOGUCHI_VAR_DIR: varDir, TRUST_PROXY: value }),
      ).toThrow(/TRUST_PROXY/);
    },
  );

  it('should reach the config as Fastify takes it', () => {
    const config = loadConfig({ NODE_ENV: 'test', MADOGUCHI_VAR_DIR: varDir, TRUST_PROXY: '1' });
    expect(config.http.trustProxy).toBe(1);
  });
});

describe('development secrets on a public interface', () => {
  it('should listen on loopback by default outside production and on every interface in production', () => {
    expect(loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: varDir }).http.listenHost).toBe(
      '127.0.0.1',
    );
    expect(loadConfig({ MADOGUCHI_VAR_DIR: varDir }).http.listenHost).toBe('127.0.0.1');
  });

  it.each([undefined, 'development', 'test'])(
    'should refuse NODE_ENV=%s on 0.0.0.0 with the development secrets, naming every variable',
    (nodeEnv) => {
      const load = () =>
        loadConfig({
          ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}),
          MADOGUCHI_VAR_DIR: varDir,
          LISTEN_HOST: '0.0.0.0',
        });
      expect(load).toThrow(ConfigInvalidError);
      expect(load).toThrow(
        /LISTEN_HOST: 0\.0\.0\.0 .*TWILIO_AUTH_TOKEN, FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY, DEMO_PASSWORD/,
      );
    },
  );

  it('should name only what is still missing, and start once every secret is set', () => {
    expect(() =>
      loadConfig({ MADOGUCHI_VAR_DIR: varDir, LISTEN_HOST: '192.0.2.5', ...KEYS }),
    ).toThrow(/uses development secrets for TWILIO_AUTH_TOKEN, DEMO_PASSWORD \(/);
    const config = loadConfig({
      MADOGUCHI_VAR_DIR: varDir,
      LISTEN_HOST: '0.0.0.0',
      ...KEYS,
      TWILIO_AUTH_TOKEN: 'a-real-token',
      DEMO_PASSWORD: 'a chosen demo password',
    });
    expect(config.http.listenHost).toBe('0.0.0.0');
  });

  it('should allow the development secrets on loopback', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(() =>
        loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: varDir, LISTEN_HOST: host }),
      ).not.toThrow();
    }
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('10.1.2.3')).toBe(false);
  });
});
