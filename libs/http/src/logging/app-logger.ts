import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { currentRequestContext } from './request-context';

/** Nest's levels as pino's (pino has no `log` or `verbose`). */
const PINO_LEVEL = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
} as const satisfies Record<LogLevel, pino.Level>;

/**
 * Writes to whatever `process.stdout` is at the time of each line (not a file descriptor opened
 * once), so a test that captures stdout sees every line, and nothing is buffered at exit.
 */
const stdout: DestinationStream = {
  write: (line: string) => process.stdout.write(line),
};

export interface AppLoggerOptions {
  /** `intake`, `desk` or `telephony`: the `app` field of every line. */
  app: string;
  levels: LogLevel[];
  /** Where the lines go; standard output by default. */
  destination?: DestinationStream;
}

/**
 * The apps' logger (docs/operations.md, "Logs"): one JSON object per line through pino, never
 * colours, with `app`, the Nest `context` and the `reqId` of the request being served (from the
 * async context), so every line of a request can be found by its id. Nest's own messages (start
 * up, route table) and every `new Logger(...)` in the code come through here.
 *
 * Human-friendly output is a matter of piping: `npm start | npx pino-pretty` in development.
 */
export class AppLogger implements LoggerService {
  /**
   * The levels are the process's, as Nest's own are (`Logger.logLevels`): `app.useLogger([...])`
   * reaches whichever logger Nest holds, and must apply to every app of the process.
   */
  private static enabled = new Set<LogLevel>();
  private readonly pino: PinoLogger;
  private readonly app: string;

  constructor(options: AppLoggerOptions) {
    AppLogger.enabled = new Set(options.levels);
    this.app = options.app;
    this.pino = pino(
      {
        level: 'trace',
        base: null,
        timestamp: pino.stdTimeFunctions.isoTime,
        // `"level":"info"` rather than 30: readable without a lookup table.
        formatters: { level: (label) => ({ level: label }) },
      },
      options.destination ?? stdout,
    );
  }

  /** Nest calls this for `app.useLogger([...levels])` (Logger.overrideLogger). */
  setLogLevels(levels: LogLevel[]): void {
    AppLogger.enabled = new Set(levels);
  }

  isEnabled(level: LogLevel): boolean {
    return AppLogger.enabled.has(level);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** A structured line (the access log): `fields` as they are, at Nest's `log` level. */
  info(fields: Record<string, unknown>, message: string): void {
    if (!this.isEnabled('log')) return;
    this.pino.info({ ...this.requestFields(), ...fields }, message);
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.isEnabled(level)) return;
    // Nest's Logger appends its context as the last argument; an error's stack comes before it.
    const rest = [...params];
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string'
        ? (rest.pop() as string)
        : undefined;
    const fields: Record<string, unknown> = { ...this.requestFields() };
    if (context) fields.context = context;
    const stack = rest.find((param) => typeof param === 'string' && param.includes('\n'));
    if (stack) fields.stack = stack;
    let text: string;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      text = '';
    } else {
      text = String(message);
    }
    this.pino[PINO_LEVEL[level]](fields, text);
  }

  /** `app` first, then `reqId` while a request is being served (the request's own app). */
  private requestFields(): { app: string; reqId?: string } {
    const context = currentRequestContext();
    return context ? { app: context.app, reqId: context.requestId } : { app: this.app };
  }
}
