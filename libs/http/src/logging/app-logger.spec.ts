import type { IncomingMessage } from 'node:http';
import { AppLogger } from './app-logger';
import { requestIdGenerator, runInRequestContext } from './request-context';

function loggerWithLines(levels: ConstructorParameters<typeof AppLogger>[0]['levels']): {
  logger: AppLogger;
  lines: () => Record<string, unknown>[];
} {
  const written: string[] = [];
  const logger = new AppLogger({
    app: 'desk',
    levels,
    destination: { write: (line: string) => void written.push(line) },
  });
  return {
    logger,
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('AppLogger', () => {
  it('should write one JSON object per line with level, time, app, context and message', () => {
    const { logger, lines } = loggerWithLines(['log', 'warn', 'error']);
    logger.log('started', 'Bootstrap');
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        app: 'desk',
        context: 'Bootstrap',
        msg: 'started',
      },
    ]);
    expect(new Date(lines()[0].time as string).toISOString()).toBe(lines()[0].time);
  });

  it('should keep an error stack apart from the message and the context', () => {
    const { logger, lines } = loggerWithLines(['error']);
    const stack = 'Error: boom\n    at somewhere (file.ts:1:1)';
    logger.error('request failed', stack, 'HttpError');
    expect(lines()[0]).toMatchObject({
      level: 'error',
      context: 'HttpError',
      msg: 'request failed',
      stack,
    });
  });

  it('should drop levels that are not enabled, and follow useLogger-style level changes', () => {
    const { logger, lines } = loggerWithLines(['error']);
    logger.log('not shown');
    logger.debug('not shown');
    logger.setLogLevels(['log']);
    logger.log('shown');
    logger.info({ route: '/x' }, 'request completed');
    expect(lines().map((line) => line.msg)).toEqual(['shown', 'request completed']);
  });

  it('should add the request id and the serving app while a request is being served', () => {
    const { logger, lines } = loggerWithLines(['log']);
    runInRequestContext({ requestId: 'req-0001-abcd', app: 'intake' }, () => {
      logger.log('inside', 'Probe');
    });
    logger.log('outside', 'Probe');
    expect(lines().map((line) => [line.msg, line.reqId, line.app])).toEqual([
      ['inside', 'req-0001-abcd', 'intake'],
      ['outside', undefined, 'desk'],
    ]);
  });

  it('should never write an ANSI colour code', () => {
    const { logger, lines } = loggerWithLines(['log', 'warn', 'error']);
    logger.warn('careful', 'Ctx');
    expect(JSON.stringify(lines())).not.toContain('\u001b');
  });
});

describe('requestIdGenerator', () => {
  const incoming = (header?: string) =>
    ({ headers: header === undefined ? {} : { 'x-request-id': header } }) as IncomingMessage;

  it('should make a UUID when there is no trusted proxy, whatever the client sends', () => {
    const generate = requestIdGenerator(false);
    expect(generate(incoming('client-chosen-id'))).toMatch(/^[0-9a-f-]{36}$/);
    expect(generate(incoming())).not.toBe(generate(incoming()));
  });

  it('should take a sane id from a trusted proxy and replace anything else', () => {
    const generate = requestIdGenerator(true);
    expect(generate(incoming('0123456789abcdef0123456789abcdef'))).toBe(
      '0123456789abcdef0123456789abcdef',
    );
    for (const bad of ['short', 'has space 12345', 'x"}\n{"forged":1', 'a'.repeat(129)]) {
      expect(generate(incoming(bad))).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
