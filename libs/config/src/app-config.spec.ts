import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigInvalidError, loadConfig } from './app-config';

type Env = Record<string, string | undefined>;

const PRODUCTION_ENV: Env = {
  NODE_ENV: 'production',
  FIELD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
  SMTP_URL: 'smtps://mailer:mail-pass@smtp.example.jp:465',
  DATABASE_URL: 'mysql://madoguchi:db-pass@db.internal:3306/madoguchi',
  TWILIO_AUTH_TOKEN: 'twilio-auth-token',
};

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** The problems a ConfigInvalidError lists, one per line. */
function problemsOf(env: Env): string[] {
  const error = thrownBy(() => loadConfig(env));
  expect(error).toBeInstanceOf(ConfigInvalidError);
  return error.message
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^\s+- /, ''));
}

describe('loadConfig', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'madoguchi-config-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('should apply the defaults for an empty development environment', () => {
    const config = loadConfig({ MADOGUCHI_VAR_DIR: tmp });

    expect(config).toBeInstanceOf(AppConfig);
    expect(config.nodeEnv).toBe('development');
    expect(config.isProduction).toBe(false);
    expect(config.varDir).toBe(tmp);
    expect(config.http).toMatchObject({
      intakePort: 3000,
      deskPort: 3001,
      telephonyPort: 3002,
      intakePublicUrl: 'http://localhost:3000',
      deskPublicUrl: 'http://localhost:3001',
      telephonyPublicUrl: 'http://localhost:3002',
      trustProxy: false,
      shutdownTimeoutMs: 10_000,
    });
    expect(config.intake).toMatchObject({ rateLimitPerMinute: 30, bodyLimitBytes: 32 * 1024 });
    expect(config.database.url).toBeUndefined();
    expect(config.database.sqlitePath).toBe(join(tmp, 'madoguchi.sqlite'));
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.mail.workerEnabled).toBe(true);
    expect(config.crypto).toMatchObject({
      fieldKeys: undefined,
      activeKeyId: undefined,
      blindIndexKey: undefined,
    });
  });

  it('should resolve a relative var directory and put the SQLite file under it', () => {
    const config = loadConfig({ MADOGUCHI_VAR_DIR: 'relative-var' });

    expect(config.varDir).toBe(join(process.cwd(), 'relative-var'));
    expect(config.database.sqlitePath).toBe(
      join(process.cwd(), 'relative-var', 'madoguchi.sqlite'),
    );
  });

  it('should derive the public URLs from the configured ports and trim trailing slashes', () => {
    const config = loadConfig({
      MADOGUCHI_VAR_DIR: tmp,
      INTAKE_PORT: '8080',
      DESK_PORT: '8081',
      TELEPHONY_PORT: '8082',
      DESK_PUBLIC_URL: 'https://desk.example.jp//',
    });

    expect(config.http).toMatchObject({
      intakePort: 8080,
      deskPort: 8081,
      telephonyPort: 8082,
      intakePublicUrl: 'http://localhost:8080',
      deskPublicUrl: 'https://desk.example.jp',
      telephonyPublicUrl: 'http://localhost:8082',
    });
  });

  it('should allow INTAKE_RATE_LIMIT_PER_MINUTE=0 to turn the limit off', () => {
    expect(
      loadConfig({ MADOGUCHI_VAR_DIR: tmp, INTAKE_RATE_LIMIT_PER_MINUTE: '0' }).intake
        .rateLimitPerMinute,
    ).toBe(0);
  });

  it('should take a blank number as unset rather than 0, which would turn the rate limit off', () => {
    const config = loadConfig({
      MADOGUCHI_VAR_DIR: tmp,
      INTAKE_RATE_LIMIT_PER_MINUTE: '  ',
      INTAKE_PORT: ' ',
    });

    expect(config.intake.rateLimitPerMinute).toBe(30);
    expect(config.http.intakePort).toBe(3000);
  });

  it('should take blank strings as unset', () => {
    const config = loadConfig({
      MADOGUCHI_VAR_DIR: tmp,
      DATABASE_URL: '  ',
      SMTP_URL: '',
      FIELD_ENCRYPTION_KEYS: ' ',
    });

    expect(config.database.url).toBeUndefined();
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.crypto.fieldKeys).toBeUndefined();
  });

  it('should accept MySQL and MariaDB URLs and smtp or smtps URLs', () => {
    for (const [database, smtp] of [
      ['mysql://u:p@db:3306/madoguchi', 'smtp://mail:25'],
      ['mariadb://u:p@db/madoguchi', 'smtps://u:p@mail:465'],
    ]) {
      const config = loadConfig({ MADOGUCHI_VAR_DIR: tmp, DATABASE_URL: database, SMTP_URL: smtp });
      expect(config.database.url).toBe(database);
      expect(config.mail.smtpUrl).toBe(smtp);
    }
  });

  it.each<[string, boolean | number | string[]]>([
    ['1', 1],
    ['2', 2],
    ['true', true],
    ['YES', true],
    ['on', true],
    ['0', false],
    ['false', false],
    ['', false],
    ['10.0.0.0/8, 192.168.1.10', ['10.0.0.0/8', '192.168.1.10']],
  ])('should read TRUST_PROXY=%j as %j', (value, expected) => {
    expect(loadConfig({ MADOGUCHI_VAR_DIR: tmp, TRUST_PROXY: value }).http.trustProxy).toEqual(
      expected,
    );
  });

  it('should list every problem at once', () => {
    const problems = problemsOf({
      MADOGUCHI_VAR_DIR: tmp,
      INTAKE_PORT: 'abc',
      DATABASE_URL: 'postgres://x',
      SMTP_URL: 'http://x',
      INTAKE_RATE_LIMIT_PER_MINUTE: '-1',
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INTAKE_PORT \(http\.intakePort\): /),
        'database.url: DATABASE_URL must start with mysql://',
        'mail.smtpUrl: SMTP_URL must start with smtp:// or smtps://',
        expect.stringMatching(
          /^INTAKE_RATE_LIMIT_PER_MINUTE \(intake\.rateLimitPerMinute\): .*less than 0/,
        ),
      ]),
    );
    // The default intake URL is built from the bad port, so it is reported too.
    const fields = new Set(problems.map((problem) => problem.split(':')[0]));
    expect(fields).toEqual(
      new Set([
        'INTAKE_PORT (http.intakePort)',
        'INTAKE_PUBLIC_URL (http.intakePublicUrl)',
        'database.url',
        'mail.smtpUrl',
        'INTAKE_RATE_LIMIT_PER_MINUTE (intake.rateLimitPerMinute)',
      ]),
    );
  });

  it.each([
    ['INTAKE_PORT', 'abc', 'http.intakePort'],
    ['DESK_PORT', '65536', 'http.deskPort'],
    ['TELEPHONY_PORT', '30.5', 'http.telephonyPort'],
    ['INTAKE_RATE_LIMIT_PER_MINUTE', '-1', 'intake.rateLimitPerMinute'],
    ['INTAKE_BODY_LIMIT_BYTES', '100', 'intake.bodyLimitBytes'],
    ['OUTBOX_POLL_INTERVAL_MS', '10', 'mail.pollIntervalMs'],
    ['DATABASE_URL', 'postgres://x', 'database.url'],
    ['SMTP_URL', 'http://x', 'mail.smtpUrl'],
    ['DEMO_PASSWORD', 'short', 'demoPassword'],
    ['NODE_ENV', 'staging', 'nodeEnv'],
  ])('should reject %s=%j', (name, value, field) => {
    const problems = problemsOf({ MADOGUCHI_VAR_DIR: tmp, [name]: value });

    // Each problem names the variable to fix (and the setting it feeds).
    expect(
      problems.some(
        (problem) =>
          problem.startsWith(`${name} (${field}): `) || problem.startsWith(`${field}: ${name} `),
      ),
    ).toBe(true);
    // A bad port also spoils the default public URL built from it; nothing else is reported.
    const spoiled = field.replace(/Port$/, '');
    expect(
      problems.every((problem) => problem.includes(`(${spoiled}`) || problem.startsWith(spoiled)),
    ).toBe(true);
  });

  it.each([
    ['SCHEDULED_JOBS', 'of'],
    ['RETENTION_JOB', 'ture'],
    ['OUTBOX_WORKER', 'enabled'],
    ['REQUIRE_STAFF_TOTP', '2'],
    ['TELEPHONY_ALLOW_SIMULATED_TIME', 'yes please'],
  ])('should refuse the misspelt boolean %s=%j, naming the variable', (name, value) => {
    expect(problemsOf({ MADOGUCHI_VAR_DIR: tmp, [name]: value })).toEqual([
      `${name}: must be on/off, true/false, yes/no or 1/0`,
    ]);
  });

  it.each([
    ['off', false],
    ['OFF', false],
    ['no', false],
    ['On', true],
  ])('should read SCHEDULED_JOBS=%j as %s', (value, expected) => {
    expect(loadConfig({ MADOGUCHI_VAR_DIR: tmp, SCHEDULED_JOBS: value }).jobs.enabled).toBe(
      expected,
    );
  });

  it('should not echo rejected values, which may hold passwords, in the error', () => {
    const error = thrownBy(() =>
      loadConfig({
        MADOGUCHI_VAR_DIR: tmp,
        DATABASE_URL: 'postgres://admin:db-secret-123@db/x',
        SMTP_URL: 'http://user:smtp-secret-456@mail',
      }),
    );

    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect(error.message).not.toContain('db-secret-123');
    expect(error.message).not.toContain('smtp-secret-456');
  });

  it('should load a complete production environment', () => {
    const config = loadConfig({ ...PRODUCTION_ENV, MADOGUCHI_VAR_DIR: tmp });

    expect(config.isProduction).toBe(true);
    expect(config.database.url).toBe(PRODUCTION_ENV.DATABASE_URL);
    expect(config.mail.smtpUrl).toBe(PRODUCTION_ENV.SMTP_URL);
    expect(config.crypto.fieldKeys).toBe(PRODUCTION_ENV.FIELD_ENCRYPTION_KEYS);
    expect(config.crypto.blindIndexKey).toBe(PRODUCTION_ENV.BLIND_INDEX_KEY);
  });

  it('should require the keys, SMTP_URL and DATABASE_URL in production, all listed at once', () => {
    expect(problemsOf({ NODE_ENV: 'production', MADOGUCHI_VAR_DIR: tmp })).toEqual([
      'FIELD_ENCRYPTION_KEYS is required in production',
      'BLIND_INDEX_KEY is required in production',
      'SMTP_URL is required in production',
      'DATABASE_URL is required in production',
      'TWILIO_AUTH_TOKEN is required in production',
    ]);
  });

  it.each([
    ['FIELD_ENCRYPTION_KEYS'],
    ['BLIND_INDEX_KEY'],
    ['SMTP_URL'],
    ['DATABASE_URL'],
    ['TWILIO_AUTH_TOKEN'],
  ])('should refuse production without %s, even when it is blank', (name) => {
    for (const value of [undefined, '', '   ']) {
      expect(problemsOf({ ...PRODUCTION_ENV, MADOGUCHI_VAR_DIR: tmp, [name]: value })).toEqual([
        `${name} is required in production`,
      ]);
    }
  });

  it('should not require production settings outside production', () => {
    for (const nodeEnv of ['development', 'test']) {
      expect(loadConfig({ NODE_ENV: nodeEnv, MADOGUCHI_VAR_DIR: tmp }).isProduction).toBe(false);
    }
  });

  it('should list validation problems and missing production settings together', () => {
    const problems = problemsOf({
      ...PRODUCTION_ENV,
      MADOGUCHI_VAR_DIR: tmp,
      INTAKE_PORT: 'abc',
      SMTP_URL: undefined,
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INTAKE_PORT \(http\.intakePort\): /),
        'SMTP_URL is required in production',
      ]),
    );
  });

  it('should read CALENDAR_CLOSURES as a list of Tokyo dates and refuse a malformed one', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      MADOGUCHI_VAR_DIR: tmp,
      CALENDAR_CLOSURES: '2026-12-29, 2026-12-30,,2026-12-31',
    });
    expect(config.calendar.closures).toEqual(['2026-12-29', '2026-12-30', '2026-12-31']);
    expect(loadConfig({ NODE_ENV: 'test', MADOGUCHI_VAR_DIR: tmp }).calendar.closures).toEqual([]);

    expect(
      problemsOf({
        NODE_ENV: 'test',
        MADOGUCHI_VAR_DIR: tmp,
        CALENDAR_CLOSURES: '2026-12-29,12/30',
      }),
    ).toEqual([expect.stringMatching(/^calendar\.closures: CALENDAR_CLOSURES must be/)]);
    expect(
      problemsOf({ NODE_ENV: 'test', MADOGUCHI_VAR_DIR: tmp, CALENDAR_CLOSURES: '2026-02-30' }),
    ).toEqual(['CALENDAR_CLOSURES: 2026-02-30 is not a calendar date']);
  });

  it('should give development a Twilio auth token for the simulator, but never production or tests', () => {
    expect(loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: tmp }).twilio.authToken).toBe(
      'dev-twilio-auth-token',
    );
    expect(
      loadConfig({ NODE_ENV: 'test', MADOGUCHI_VAR_DIR: tmp }).twilio.authToken,
    ).toBeUndefined();
    expect(
      loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: tmp, TWILIO_AUTH_TOKEN: 'own' })
        .twilio.authToken,
    ).toBe('own');
  });

  it('should honour simulated call times outside production only', () => {
    expect(
      loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: tmp }).telephony.allowSimulatedTime,
    ).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'test', MADOGUCHI_VAR_DIR: tmp }).telephony.allowSimulatedTime,
    ).toBe(true);
    // NODE_ENV unset runs as development, but the header stays off unless asked for.
    expect(loadConfig({ MADOGUCHI_VAR_DIR: tmp }).telephony.allowSimulatedTime).toBe(false);
    expect(
      loadConfig({ MADOGUCHI_VAR_DIR: tmp, TELEPHONY_ALLOW_SIMULATED_TIME: 'true' }).telephony
        .allowSimulatedTime,
    ).toBe(true);
    expect(
      loadConfig({ ...PRODUCTION_ENV, MADOGUCHI_VAR_DIR: tmp }).telephony.allowSimulatedTime,
    ).toBe(false);
    expect(
      loadConfig({
        NODE_ENV: 'test',
        MADOGUCHI_VAR_DIR: tmp,
        TELEPHONY_ALLOW_SIMULATED_TIME: 'false',
      }).telephony.allowSimulatedTime,
    ).toBe(false);
    expect(
      loadConfig({
        ...PRODUCTION_ENV,
        MADOGUCHI_VAR_DIR: tmp,
        TELEPHONY_ALLOW_SIMULATED_TIME: 'true',
      }).telephony.allowSimulatedTime,
    ).toBe(false);
  });
});
