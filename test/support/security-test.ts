import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Parameters as FcParameters } from 'fast-check';
import { DataSource, type Logger, type QueryRunner } from 'typeorm';

/**
 * A digest of every table's rows, one per table (so a failure names the table that changed):
 * what "nothing written" compares. `except` leaves out tables a request may write on purpose
 * (the per-IP rate-limit counters, the caller's own session).
 */
export async function tableDigests(
  dataSource: DataSource,
  except: readonly string[] = [],
): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const { tableName } of dataSource.entityMetadatas) {
    if (except.includes(tableName)) continue;
    const rows: unknown = await dataSource.query(
      `SELECT * FROM ${dataSource.driver.escape(tableName)} ORDER BY 1`,
    );
    digests[tableName] = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  }
  return digests;
}

/** Row counts of every table: cheaper than digests, for property runs with many requests. */
export async function tableCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { tableName } of dataSource.entityMetadatas) {
    const [row] = (await dataSource.query(
      `SELECT COUNT(*) AS n FROM ${dataSource.driver.escape(tableName)}`,
    )) as Array<{ n: number | string }>;
    counts[tableName] = Number(row.n);
  }
  return counts;
}

export interface CapturedQuery {
  query: string;
  parameters: unknown[];
}

/**
 * Records every SQL statement the app's own data source sends (text and bound parameters) until
 * `stop()`. TypeORM hands each query to the data source's logger before running it, whatever the
 * `logging` option says; the real logger still gets every call.
 */
export function captureQueries(app: NestFastifyApplication): {
  queries: CapturedQuery[];
  stop(): void;
} {
  const dataSource = app.get(DataSource);
  const original = dataSource.logger;
  const queries: CapturedQuery[] = [];
  const recording = new Proxy(original, {
    get(target, property, receiver) {
      if (property === 'logQuery') {
        return (query: string, parameters?: unknown[], queryRunner?: QueryRunner) => {
          queries.push({ query, parameters: parameters ?? [] });
          return target.logQuery(query, parameters, queryRunner);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  (dataSource as { logger: Logger }).logger = recording;
  return {
    queries,
    stop: () => {
      (dataSource as { logger: Logger }).logger = original;
    },
  };
}

/** Concrete values for a route's path parameters, so any registered route can be called. */
export function fillRoutePath(url: string, values: Record<string, string> = {}): string {
  return url
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment === '*' ? 'x' : segment;
      const name = segment.slice(1);
      return values[name] ?? (name === 'token' ? 'A'.repeat(43) : '1');
    })
    .join('/');
}

/**
 * fast-check settings for the e2e tier: few runs (each one is real HTTP and a real database), a
 * seed from FC_SEED to replay a failure (fast-check prints the seed and path of a failing run).
 */
export function propertyRuns(numRuns: number): FcParameters<unknown> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
  return { numRuns, seed, endOnFailure: true };
}
