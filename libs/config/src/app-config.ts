import { Type, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';
import { isLoopbackHost, parseTrustProxy, type TrustProxySetting } from './trust-proxy.util';

/** HTTP ports and the public base URLs of the three apps (links in mail, Twilio signatures). */
export class HttpConfig {
  @IsInt() @Min(0) @Max(65535) intakePort: number;
  @IsInt() @Min(0) @Max(65535) deskPort: number;
  @IsInt() @Min(0) @Max(65535) telephonyPort: number;
  @IsUrl({ require_tld: false }) intakePublicUrl: string;
  @IsUrl({ require_tld: false }) deskPublicUrl: string;
  @IsUrl({ require_tld: false }) telephonyPublicUrl: string;
  /**
   * TRUST_PROXY, Fastify's `trustProxy`: false (the socket address is the client), a hop count,
   * or the proxies' addresses/CIDR ranges, whose X-Forwarded-For entries then give the client IP
   * (rate limits, audit, allow-lists). Parsed and checked by {@link parseTrustProxy}.
   */
  trustProxy: TrustProxySetting;
  /** LISTEN_HOST: the interface the apps listen on; 0.0.0.0 in production, else 127.0.0.1. */
  @IsString() @MinLength(1) listenHost: string;
  /** SIGTERM/SIGINT: the process exits after at most this long, even if a request hangs. */
  @IsInt() @Min(100) shutdownTimeoutMs: number;
  /** WORKERS: processes of the intake and the telephony app behind one port (node:cluster). */
  @IsInt() @Min(1) @Max(64) workers: number;
}

export class DatabaseConfig {
  /** `mysql://user:pass@host:port/db`; unset means the embedded SQLite file below. */
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\//, { message: 'DATABASE_URL must start with mysql://' })
  url?: string;
  @IsString() sqlitePath: string;
}

export class IntakeConfig {
  /** Requests per minute per client IP on the intake; 0 turns the limit off (load tests). */
  @IsInt() @Min(0) rateLimitPerMinute: number;
  @IsInt() @Min(1024) bodyLimitBytes: number;
}

export class MailConfig {
  /** `smtp://user:pass@host:port` or `smtps://…`; unset outside production keeps mail in the outbox. */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  smtpUrl?: string;
  @IsString() @MinLength(3) fromAddress: string;
  @IsBoolean() workerEnabled: boolean;
  @IsInt() @Min(50) pollIntervalMs: number;
}

/** Mail that arrives (docs/email.md): replies to the desk's mail and new mail to a site's address. */
export class InboundMailConfig {
  /** The domain of every reply address (`reply+<token>@…`) and site address (`<slug>@…`). */
  @IsString() @MinLength(3) domain: string;
  /** The SMTP listener's port (intake app); 0 turns it off. On by default outside production. */
  @IsInt() @Min(0) smtpPort: number;
  /** The interface the listener binds: loopback unless a relay on another host delivers to it. */
  @IsString() smtpHost: string;
  /** Largest accepted mail, whole message in bytes. */
  @IsInt() @Min(1024) maxMessageBytes: number;
  /** `imap(s)://user:pass@host:port/Mailbox`: a provider's mailbox polled for mail; unset: off. */
  @IsOptional()
  @Matches(/^imaps?:\/\//, { message: 'INBOUND_IMAP_URL must start with imap:// or imaps://' })
  imapUrl?: string;
  @IsInt() @Min(1000) imapPollIntervalMs: number;
  /** Whether this instance polls INBOUND_IMAP_URL (INBOUND_IMAP_POLLER=off on all but one instance). */
  @IsBoolean() imapPollerEnabled: boolean;
  /** Mails per sender address per hour before further mail from it is refused; 0: no limit. */
  @IsInt() @Min(0) perSenderPerHour: number;
}

export class CryptoConfig {
  /** `keyId:base64(32 bytes)` pairs, comma-separated; the first is used for new values unless FIELD_ENCRYPTION_ACTIVE_KEY says otherwise. */
  @IsOptional() @IsString() fieldKeys?: string;
  @IsOptional() @IsString() activeKeyId?: string;
  /** base64 of at least 32 bytes, for HMAC blind indexes. */
  @IsOptional() @IsString() blindIndexKey?: string;
}

export class TwilioConfig {
  @IsOptional() @IsString() accountSid?: string;
  @IsOptional() @IsString() authToken?: string;
  @IsString() windowNumber: string;
  /** API key (SK…) and its secret: they sign the agents' Voice access tokens (desk). */
  @IsOptional() @IsString() apiKeySid?: string;
  @IsOptional() @IsString() apiKeySecret?: string;
  /** The TwiML App (AP…) whose voice URL is the telephony app's /twilio/voice/agent-dial. */
  @IsOptional() @IsString() twimlAppSid?: string;
  /**
   * TWILIO_API_BASE_URL: where recordings are fetched (basic auth with the account SID and auth
   * token); the desk fetches only recording URLs under it. https://api.twilio.com by default.
   */
  @IsUrl({ require_tld: false, require_protocol: true }) apiBaseUrl: string;
}

/** The business calendar's admin closures from the environment (the database adds its own). */
export class CalendarConfig {
  /** CALENDAR_CLOSURES: comma-separated 'YYYY-MM-DD' Tokyo dates, e.g. the year-end 12/29–1/3. */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    each: true,
    message: 'CALENDAR_CLOSURES must be a comma-separated list of YYYY-MM-DD dates',
  })
  closures: string[];
}

export class TelephonyConfig {
  /**
   * Honour the simulator's `X-Madoguchi-Simulated-Time` header (TELEPHONY_ALLOW_SIMULATED_TIME);
   * on by default only when NODE_ENV is development or test (off when NODE_ENV is unset),
   * always off in production.
   */
  @IsBoolean() allowSimulatedTime: boolean;
  /** TELEPHONY_OVERFLOW_MINUTES: after this long in the queue a caller is offered voicemail or a callback. */
  @IsInt() @Min(1) @Max(60) overflowMinutes: number;
  /**
   * TELEPHONY_STORE_RECORDINGS: a job copies each voicemail into the desk, sealed, then deletes
   * it at Twilio (off by default: recordings stay at Twilio and are streamed on play).
   */
  @IsBoolean() storeRecordings: boolean;
}

export class AuthConfig {
  /** A session ends after this many minutes without a request… */
  @IsInt() @Min(1) sessionIdleMinutes: number;
  /** …and after this many hours whatever happens (one working day). */
  @IsInt() @Min(1) sessionMaxHours: number;
  /** Failed logins in a row before the account locks. */
  @IsInt() @Min(1) maxFailedLogins: number;
  @IsInt() @Min(1) lockoutMinutes: number;
  /** LOGIN_RATE_LIMIT_PER_IP: login attempts per client IP per 10 minutes, counted before the password hash; 0 = off. */
  @IsInt() @Min(0) loginLimitPerIp: number;
  /** LOGIN_RATE_LIMIT_PER_ACCOUNT: login attempts per email address per 10 minutes (known or not); 0 = off. */
  @IsInt() @Min(0) loginLimitPerAccount: number;
  /** REAUTH_RATE_LIMIT_PER_USER: password re-entries (exports) per user per hour, right or wrong; 0 = off. */
  @IsInt() @Min(0) reauthLimitPerUser: number;
  /** Operator staff must enrol a TOTP second factor; always on in production (demo mode is off there). */
  @IsBoolean() requireStaffTotp: boolean;
  /** CIDR ranges operator staff may use; empty means no restriction (development). */
  @IsString({ each: true }) staffAllowedIpRanges: string[];
  /** BULK_VIEW_ALERT_THRESHOLD: more distinct tickets than this viewed by one user within an hour raise an alert. */
  @IsInt() @Min(1) bulkViewAlertThreshold: number;
}

export class LiveConfig {
  /** How often each desk instance reads ticket changes for its live queue views (SSE). */
  @IsInt() @Min(50) pollIntervalMs: number;
}

/** The desk's scheduled jobs (retention, support-end notice, merchant digest). */
export class JobsConfig {
  /** SCHEDULED_JOBS=on|off: the desk's job timer; off by default under NODE_ENV=test. */
  @IsBoolean() enabled: boolean;
  /** RETENTION_JOB=on|off: the erasure of personal data after the retention period. */
  @IsBoolean() retentionEnabled: boolean;
  /** DIGEST_HOUR: the Tokyo hour (0–23) from which the daily merchant digest goes out. */
  @IsInt() @Min(0) @Max(23) digestHour: number;
  /** JOBS_INTERVAL_MS: how often the timer runs the jobs (each run is idempotent). */
  @IsInt() @Min(1000) intervalMs: number;
  /** BULK_SEND_INTERVAL_MS: how often the bulk-send worker takes its next batch. */
  @IsInt() @Min(100) bulkSendIntervalMs: number;
  /** BULK_SEND_BATCH: replies per batch; with the interval, the bound on the sending rate. */
  @IsInt() @Min(1) @Max(500) bulkSendBatchSize: number;
  /** OUTBOX_SENT_RETENTION_DAYS: sent mail jobs (encrypted payloads) are deleted this long after sending. */
  @IsInt() @Min(1) outboxSentRetentionDays: number;
  /**
   * AUDIT_RETENTION_DAYS: audit events older than this are deleted (default 1827, five years;
   * the access logs the PPC asks to keep). Never infinite; at least 90 days.
   */
  @IsInt() @Min(90) auditRetentionDays: number;
}

/** Prometheus metrics (docs/operations.md, "Metrics"). */
export class MetricsConfig {
  /**
   * METRICS_PORT: the base of the separate metrics listeners; each app adds its offset (intake
   * +0, desk +1, telephony +2) so the three processes of one host do not collide. Unset: none.
   */
  @IsOptional() @IsInt() @Min(0) @Max(65533) port?: number;
  /** METRICS_HOST: the interface of that listener; loopback unless the scraper is elsewhere. */
  @IsString() @MinLength(1) host: string;
  /** METRICS_TOKEN: also serve `/metrics` on the public port, to `Authorization: Bearer <token>` only. */
  @IsOptional() @IsString() @MinLength(32) token?: string;
}

export class AppConfig {
  @IsIn(['production', 'development', 'test']) nodeEnv: 'production' | 'development' | 'test';
  /** Where the embedded database and the generated development keys live. */
  @IsString() varDir: string;
  @IsString() @MinLength(8) demoPassword: string;
  @ValidateNested() @Type(() => HttpConfig) http: HttpConfig;
  @ValidateNested() @Type(() => DatabaseConfig) database: DatabaseConfig;
  @ValidateNested() @Type(() => IntakeConfig) intake: IntakeConfig;
  @ValidateNested() @Type(() => MailConfig) mail: MailConfig;
  @ValidateNested() @Type(() => InboundMailConfig) inboundMail: InboundMailConfig;
  @ValidateNested() @Type(() => CryptoConfig) crypto: CryptoConfig;
  @ValidateNested() @Type(() => TwilioConfig) twilio: TwilioConfig;
  @ValidateNested() @Type(() => AuthConfig) auth: AuthConfig;
  @ValidateNested() @Type(() => LiveConfig) live: LiveConfig;
  @ValidateNested() @Type(() => CalendarConfig) calendar: CalendarConfig;
  @ValidateNested() @Type(() => TelephonyConfig) telephony: TelephonyConfig;
  @ValidateNested() @Type(() => JobsConfig) jobs: JobsConfig;
  @ValidateNested() @Type(() => MetricsConfig) metrics: MetricsConfig;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}

export class ConfigInvalidError extends Error {}

type Env = Record<string, string | undefined>;

/** The Twilio auth token `NODE_ENV=development` uses when TWILIO_AUTH_TOKEN is unset (simulator only). */
export const DEV_TWILIO_AUTH_TOKEN = 'dev-twilio-auth-token';

// Blank means unset: Number(' ') is 0, which would silently turn the intake rate limit off.
const int = (value: string | undefined, fallback: number): number =>
  value === undefined || value.trim() === '' ? fallback : Number(value);

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/**
 * A boolean variable: blank means the fallback; anything but on/off, true/false, yes/no or 1/0
 * is a problem named after the variable, never a silent `false` (`SCHEDULED_JOBS=of` would
 * otherwise stop the retention erasure without a word).
 */
function readBool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  if (TRUE_WORDS.includes(value.toLowerCase())) return true;
  if (FALSE_WORDS.includes(value.toLowerCase())) return false;
  // The value is not echoed, as with every rejected value (some hold passwords).
  problems.push(`${name}: must be on/off, true/false, yes/no or 1/0`);
  return fallback;
}

/** The environment variable behind each validated setting, so an error names what to fix. */
const ENV_NAMES: Record<string, string> = {
  nodeEnv: 'NODE_ENV',
  varDir: 'MADOGUCHI_VAR_DIR',
  demoPassword: 'DEMO_PASSWORD',
  'http.intakePort': 'INTAKE_PORT',
  'http.deskPort': 'DESK_PORT',
  'http.telephonyPort': 'TELEPHONY_PORT',
  'http.intakePublicUrl': 'INTAKE_PUBLIC_URL',
  'http.deskPublicUrl': 'DESK_PUBLIC_URL',
  'http.telephonyPublicUrl': 'TELEPHONY_PUBLIC_URL',
  'http.trustProxy': 'TRUST_PROXY',
  'http.listenHost': 'LISTEN_HOST',
  'http.shutdownTimeoutMs': 'SHUTDOWN_TIMEOUT_MS',
  'http.workers': 'WORKERS',
  'database.url': 'DATABASE_URL',
  'database.sqlitePath': 'SQLITE_PATH',
  'intake.rateLimitPerMinute': 'INTAKE_RATE_LIMIT_PER_MINUTE',
  'intake.bodyLimitBytes': 'INTAKE_BODY_LIMIT_BYTES',
  'mail.smtpUrl': 'SMTP_URL',
  'mail.fromAddress': 'MAIL_FROM_ADDRESS',
  'mail.pollIntervalMs': 'OUTBOX_POLL_INTERVAL_MS',
  'inboundMail.domain': 'INBOUND_MAIL_DOMAIN',
  'inboundMail.smtpPort': 'INBOUND_SMTP_PORT',
  'inboundMail.smtpHost': 'INBOUND_SMTP_HOST',
  'inboundMail.maxMessageBytes': 'INBOUND_MAIL_MAX_BYTES',
  'inboundMail.imapUrl': 'INBOUND_IMAP_URL',
  'inboundMail.imapPollIntervalMs': 'INBOUND_IMAP_POLL_INTERVAL_MS',
  'inboundMail.imapPollerEnabled': 'INBOUND_IMAP_POLLER',
  'inboundMail.perSenderPerHour': 'INBOUND_MAIL_PER_SENDER_PER_HOUR',
  'twilio.windowNumber': 'TELEPHONY_WINDOW_NUMBER',
  'twilio.apiBaseUrl': 'TWILIO_API_BASE_URL',
  'telephony.overflowMinutes': 'TELEPHONY_OVERFLOW_MINUTES',
  'auth.sessionIdleMinutes': 'SESSION_IDLE_MINUTES',
  'auth.sessionMaxHours': 'SESSION_MAX_HOURS',
  'auth.maxFailedLogins': 'LOGIN_MAX_FAILURES',
  'auth.lockoutMinutes': 'LOGIN_LOCKOUT_MINUTES',
  'auth.loginLimitPerIp': 'LOGIN_RATE_LIMIT_PER_IP',
  'auth.loginLimitPerAccount': 'LOGIN_RATE_LIMIT_PER_ACCOUNT',
  'auth.reauthLimitPerUser': 'REAUTH_RATE_LIMIT_PER_USER',
  'auth.staffAllowedIpRanges': 'STAFF_ALLOWED_IP_RANGES',
  'auth.bulkViewAlertThreshold': 'BULK_VIEW_ALERT_THRESHOLD',
  'live.pollIntervalMs': 'LIVE_POLL_INTERVAL_MS',
  'calendar.closures': 'CALENDAR_CLOSURES',
  'jobs.digestHour': 'DIGEST_HOUR',
  'jobs.intervalMs': 'JOBS_INTERVAL_MS',
  'jobs.bulkSendIntervalMs': 'BULK_SEND_INTERVAL_MS',
  'jobs.bulkSendBatchSize': 'BULK_SEND_BATCH',
  'jobs.outboxSentRetentionDays': 'OUTBOX_SENT_RETENTION_DAYS',
  'jobs.auditRetentionDays': 'AUDIT_RETENTION_DAYS',
  'metrics.port': 'METRICS_PORT',
  'metrics.host': 'METRICS_HOST',
  'metrics.token': 'METRICS_TOKEN',
};

const blankToUndefined = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/**
 * Reads and validates the whole configuration once, at start-up; a bad value stops the process
 * with every problem listed. Secrets come only from the environment.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const varDir = resolve(env.MADOGUCHI_VAR_DIR ?? 'var');
  const intakePort = int(env.INTAKE_PORT, 3000);
  const deskPort = int(env.DESK_PORT, 3001);
  const telephonyPort = int(env.TELEPHONY_PORT, 3002);
  const problems: string[] = [];
  const bool = (name: string, fallback: boolean): boolean =>
    readBool(env, name, fallback, problems);
  const raw = {
    nodeEnv,
    varDir,
    demoPassword: env.DEMO_PASSWORD ?? 'madoguchi-demo',
    http: {
      intakePort,
      deskPort,
      telephonyPort,
      intakePublicUrl: trimSlash(env.INTAKE_PUBLIC_URL ?? `http://localhost:${intakePort}`),
      deskPublicUrl: trimSlash(env.DESK_PUBLIC_URL ?? `http://localhost:${deskPort}`),
      telephonyPublicUrl: trimSlash(
        env.TELEPHONY_PUBLIC_URL ?? `http://localhost:${telephonyPort}`,
      ),
      trustProxy: trustProxyOf(env.TRUST_PROXY, problems),
      listenHost:
        blankToUndefined(env.LISTEN_HOST) ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
      shutdownTimeoutMs: int(env.SHUTDOWN_TIMEOUT_MS, 10_000),
      workers: int(env.WORKERS, 1),
    },
    database: {
      url: blankToUndefined(env.DATABASE_URL),
      sqlitePath: resolve(env.SQLITE_PATH ?? `${varDir}/madoguchi.sqlite`),
    },
    intake: {
      rateLimitPerMinute: int(env.INTAKE_RATE_LIMIT_PER_MINUTE, 30),
      bodyLimitBytes: int(env.INTAKE_BODY_LIMIT_BYTES, 32 * 1024),
    },
    mail: {
      smtpUrl: blankToUndefined(env.SMTP_URL),
      fromAddress: env.MAIL_FROM_ADDRESS ?? 'no-reply@madoguchi.test',
      workerEnabled: bool('OUTBOX_WORKER', true),
      pollIntervalMs: int(env.OUTBOX_POLL_INTERVAL_MS, 1000),
    },
    inboundMail: {
      domain: env.INBOUND_MAIL_DOMAIN ?? 'inbound.madoguchi.test',
      // Outside production the listener is on by default so replies work right after npm start;
      // in production the operator opens it deliberately (an MX or relay delivers to it). Test
      // apps open their own listener on a free port when a test asks for one.
      smtpPort: int(env.INBOUND_SMTP_PORT, nodeEnv === 'development' ? 2525 : 0),
      smtpHost: env.INBOUND_SMTP_HOST ?? '127.0.0.1',
      maxMessageBytes: int(env.INBOUND_MAIL_MAX_BYTES, 25 * 1024 * 1024),
      imapUrl: blankToUndefined(env.INBOUND_IMAP_URL),
      imapPollIntervalMs: int(env.INBOUND_IMAP_POLL_INTERVAL_MS, 30_000),
      imapPollerEnabled: bool('INBOUND_IMAP_POLLER', true),
      perSenderPerHour: int(env.INBOUND_MAIL_PER_SENDER_PER_HOUR, 20),
    },
    crypto: {
      fieldKeys: blankToUndefined(env.FIELD_ENCRYPTION_KEYS),
      activeKeyId: blankToUndefined(env.FIELD_ENCRYPTION_ACTIVE_KEY),
      blindIndexKey: blankToUndefined(env.BLIND_INDEX_KEY),
    },
    twilio: {
      accountSid: blankToUndefined(env.TWILIO_ACCOUNT_SID),
      // In development a known token lets `npm run call:simulate` sign requests out of the box.
      authToken:
        blankToUndefined(env.TWILIO_AUTH_TOKEN) ??
        (nodeEnv === 'development' ? DEV_TWILIO_AUTH_TOKEN : undefined),
      windowNumber: env.TELEPHONY_WINDOW_NUMBER ?? '+81367447492',
      apiKeySid: blankToUndefined(env.TWILIO_API_KEY_SID),
      apiKeySecret: blankToUndefined(env.TWILIO_API_KEY_SECRET),
      twimlAppSid: blankToUndefined(env.TWILIO_TWIML_APP_SID),
      apiBaseUrl: trimSlash(blankToUndefined(env.TWILIO_API_BASE_URL) ?? 'https://api.twilio.com'),
    },
    auth: {
      sessionIdleMinutes: int(env.SESSION_IDLE_MINUTES, 120),
      sessionMaxHours: int(env.SESSION_MAX_HOURS, 12),
      maxFailedLogins: int(env.LOGIN_MAX_FAILURES, 5),
      lockoutMinutes: int(env.LOGIN_LOCKOUT_MINUTES, 15),
      // Off by default under NODE_ENV=test (suites log in hundreds of times from one address);
      // the rate-limit tests turn them on.
      loginLimitPerIp: int(env.LOGIN_RATE_LIMIT_PER_IP, nodeEnv === 'test' ? 0 : 30),
      loginLimitPerAccount: int(env.LOGIN_RATE_LIMIT_PER_ACCOUNT, nodeEnv === 'test' ? 0 : 10),
      reauthLimitPerUser: int(env.REAUTH_RATE_LIMIT_PER_USER, nodeEnv === 'test' ? 0 : 10),
      requireStaffTotp: nodeEnv === 'production' || bool('REQUIRE_STAFF_TOTP', false),
      staffAllowedIpRanges: (env.STAFF_ALLOWED_IP_RANGES ?? '')
        .split(',')
        .map((range) => range.trim())
        .filter((range) => range !== ''),
      bulkViewAlertThreshold: int(env.BULK_VIEW_ALERT_THRESHOLD, 50),
    },
    live: {
      pollIntervalMs: int(env.LIVE_POLL_INTERVAL_MS, 2000),
    },
    calendar: {
      closures: (env.CALENDAR_CLOSURES ?? '')
        .split(',')
        .map((date) => date.trim())
        .filter((date) => date !== ''),
    },
    telephony: {
      // On by default only where NODE_ENV says development or test (not when it is unset).
      allowSimulatedTime:
        nodeEnv !== 'production' &&
        bool(
          'TELEPHONY_ALLOW_SIMULATED_TIME',
          env.NODE_ENV === 'development' || env.NODE_ENV === 'test',
        ),
      overflowMinutes: int(env.TELEPHONY_OVERFLOW_MINUTES, 3),
      storeRecordings: bool('TELEPHONY_STORE_RECORDINGS', false),
    },
    jobs: {
      enabled: bool('SCHEDULED_JOBS', nodeEnv !== 'test'),
      retentionEnabled: bool('RETENTION_JOB', true),
      digestHour: int(env.DIGEST_HOUR, 9),
      intervalMs: int(env.JOBS_INTERVAL_MS, 60_000),
      // 5 every 5 s: at most 60 replies (and mails) a minute from bulk sends.
      bulkSendIntervalMs: int(env.BULK_SEND_INTERVAL_MS, 5_000),
      bulkSendBatchSize: int(env.BULK_SEND_BATCH, 5),
      outboxSentRetentionDays: int(env.OUTBOX_SENT_RETENTION_DAYS, 30),
      auditRetentionDays: int(env.AUDIT_RETENTION_DAYS, 1827),
    },
    metrics: {
      port: blankToUndefined(env.METRICS_PORT) === undefined ? undefined : int(env.METRICS_PORT, 0),
      host: blankToUndefined(env.METRICS_HOST) ?? '127.0.0.1',
      token: blankToUndefined(env.METRICS_TOKEN),
    },
  };
  const config = plainToInstance(AppConfig, raw);
  problems.push(...validateSync(config).flatMap((error) => describe(error)));
  for (const date of config.calendar.closures) {
    // The pattern check above lets 2026-02-30 through; a real calendar date round-trips.
    const parsed = new Date(`${date}T00:00:00Z`);
    if (
      /^\d{4}-\d{2}-\d{2}$/.test(date) &&
      (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
    ) {
      problems.push(`CALENDAR_CLOSURES: ${date} is not a calendar date`);
    }
  }
  if (config.isProduction) {
    if (!config.crypto.fieldKeys) problems.push('FIELD_ENCRYPTION_KEYS is required in production');
    if (!config.crypto.blindIndexKey) problems.push('BLIND_INDEX_KEY is required in production');
    if (!config.mail.smtpUrl) problems.push('SMTP_URL is required in production');
    if (!config.database.url) problems.push('DATABASE_URL is required in production');
    if (!config.twilio.authToken) problems.push('TWILIO_AUTH_TOKEN is required in production');
  }
  problems.push(...developmentSecretsOnPublicInterface(config, env));
  if (problems.length > 0) {
    throw new ConfigInvalidError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

function trustProxyOf(value: string | undefined, problems: string[]): TrustProxySetting {
  const parsed = parseTrustProxy(value);
  if ('problem' in parsed) {
    problems.push(parsed.problem);
    return false;
  }
  return parsed.value;
}

/**
 * Outside production the apps fall back to development secrets: the known Twilio token,
 * generated demo keys in the var directory, the demo password, no staff TOTP, no Secure
 * cookies. That is fine on this machine only: on any other interface (LISTEN_HOST) the start is
 * refused, naming the variables to set (or NODE_ENV=production, which requires them all).
 */
export function developmentSecretsOnPublicInterface(config: AppConfig, env: Env): string[] {
  if (config.isProduction || isLoopbackHost(config.http.listenHost)) return [];
  const missing: string[] = [];
  if (blankToUndefined(env.TWILIO_AUTH_TOKEN) === undefined) missing.push('TWILIO_AUTH_TOKEN');
  if (!config.crypto.fieldKeys) missing.push('FIELD_ENCRYPTION_KEYS');
  if (!config.crypto.blindIndexKey) missing.push('BLIND_INDEX_KEY');
  if (blankToUndefined(env.DEMO_PASSWORD) === undefined) missing.push('DEMO_PASSWORD');
  if (missing.length === 0) return [];
  return [
    `LISTEN_HOST: ${config.http.listenHost} is not a loopback address, and NODE_ENV=${config.nodeEnv} ` +
      `uses development secrets for ${missing.join(', ')} (demo keys, the development Twilio token, ` +
      'the demo password; no staff TOTP, no Secure cookies). Set NODE_ENV=production with real ' +
      'secrets, or listen on 127.0.0.1.',
  ];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function describe(error: import('class-validator').ValidationError, prefix = ''): string[] {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  const name = ENV_NAMES[path];
  const own = Object.values(error.constraints ?? {}).map((message) =>
    name && !message.startsWith(name) ? `${name} (${path}): ${message}` : `${path}: ${message}`,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => describe(child, path))];
}
