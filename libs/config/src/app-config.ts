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

/** HTTP ports and the public base URLs of the three apps (links in mail, Twilio signatures). */
export class HttpConfig {
  @IsInt() @Min(0) @Max(65535) intakePort: number;
  @IsInt() @Min(0) @Max(65535) deskPort: number;
  @IsInt() @Min(0) @Max(65535) telephonyPort: number;
  @IsUrl({ require_tld: false }) intakePublicUrl: string;
  @IsUrl({ require_tld: false }) deskPublicUrl: string;
  @IsUrl({ require_tld: false }) telephonyPublicUrl: string;
  /** Behind a load balancer: take the client IP from X-Forwarded-For (rate limits, audit, allow-lists). */
  @IsBoolean() trustProxy: boolean;
  /** SIGTERM/SIGINT: the process exits after at most this long, even if a request hangs. */
  @IsInt() @Min(100) shutdownTimeoutMs: number;
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
}

export class AuthConfig {
  /** A session ends after this many minutes without a request… */
  @IsInt() @Min(1) sessionIdleMinutes: number;
  /** …and after this many hours whatever happens (one working day). */
  @IsInt() @Min(1) sessionMaxHours: number;
  /** Failed logins in a row before the account locks. */
  @IsInt() @Min(1) maxFailedLogins: number;
  @IsInt() @Min(1) lockoutMinutes: number;
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
  @ValidateNested() @Type(() => CryptoConfig) crypto: CryptoConfig;
  @ValidateNested() @Type(() => TwilioConfig) twilio: TwilioConfig;
  @ValidateNested() @Type(() => AuthConfig) auth: AuthConfig;
  @ValidateNested() @Type(() => LiveConfig) live: LiveConfig;
  @ValidateNested() @Type(() => CalendarConfig) calendar: CalendarConfig;
  @ValidateNested() @Type(() => TelephonyConfig) telephony: TelephonyConfig;
  @ValidateNested() @Type(() => JobsConfig) jobs: JobsConfig;

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

const bool = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined || value === ''
    ? fallback
    : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());

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
      trustProxy: bool(env.TRUST_PROXY, false),
      shutdownTimeoutMs: int(env.SHUTDOWN_TIMEOUT_MS, 10_000),
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
      workerEnabled: bool(env.OUTBOX_WORKER, true),
      pollIntervalMs: int(env.OUTBOX_POLL_INTERVAL_MS, 1000),
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
    },
    auth: {
      sessionIdleMinutes: int(env.SESSION_IDLE_MINUTES, 120),
      sessionMaxHours: int(env.SESSION_MAX_HOURS, 12),
      maxFailedLogins: int(env.LOGIN_MAX_FAILURES, 5),
      lockoutMinutes: int(env.LOGIN_LOCKOUT_MINUTES, 15),
      requireStaffTotp: nodeEnv === 'production' || bool(env.REQUIRE_STAFF_TOTP, false),
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
          env.TELEPHONY_ALLOW_SIMULATED_TIME,
          env.NODE_ENV === 'development' || env.NODE_ENV === 'test',
        ),
    },
    jobs: {
      enabled: bool(env.SCHEDULED_JOBS, nodeEnv !== 'test'),
      retentionEnabled: bool(env.RETENTION_JOB, true),
      digestHour: int(env.DIGEST_HOUR, 9),
      intervalMs: int(env.JOBS_INTERVAL_MS, 60_000),
      // 5 every 5 s: at most 60 replies (and mails) a minute from bulk sends.
      bulkSendIntervalMs: int(env.BULK_SEND_INTERVAL_MS, 5_000),
      bulkSendBatchSize: int(env.BULK_SEND_BATCH, 5),
    },
  };
  const config = plainToInstance(AppConfig, raw);
  const problems = validateSync(config).flatMap((error) => describe(error));
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
  if (problems.length > 0) {
    throw new ConfigInvalidError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function describe(error: import('class-validator').ValidationError, prefix = ''): string[] {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
  return [...own, ...(error.children ?? []).flatMap((child) => describe(child, path))];
}
