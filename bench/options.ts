/** What `npm run bench -- …` accepts. */
export interface BenchOptions {
  /** Tickets seeded across the merchants before the queue figure (default 1,000,000). */
  tickets: number;
  merchants: number;
  /** Seconds of each measured load phase. */
  duration: number;
  /** Keep the database `madoguchi_bench` afterwards (default: dropped). */
  keep: boolean;
  /** Reuse a kept database whose ticket count already matches (skips seeding). */
  reuse: boolean;
  /** Only create and seed the database, keep it, measure nothing (`npm run bench:seed`). */
  seedOnly: boolean;
  /** Base URL of the MariaDB/MySQL server (no database name). */
  mysqlUrl: string;
  database: string;
  /** Where the Markdown report goes; null: not written. */
  output: string | null;
  /**
   * `healthz-upload`: only the desk and the "/healthz during a 5 MB upload" figure; its section
   * of the report file is replaced, the rest of the file is kept.
   */
  only: 'healthz-upload' | null;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  tickets: 1_000_000,
  merchants: 50,
  duration: 10,
  keep: false,
  reuse: false,
  seedOnly: false,
  mysqlUrl: 'mysql://root@127.0.0.1:3306',
  database: 'madoguchi_bench',
  output: 'docs/benchmarks.md',
  only: null,
};

export const USAGE = `npm run bench -- [options]
  --tickets N      tickets to seed across the merchants (default 1000000)
  --merchants N    merchants, each with one site and one queue (default 50)
  --duration S     seconds per measured load phase (default 10)
  --keep           keep the database afterwards (default: dropped)
  --reuse          with a kept database of at least --tickets tickets: skip seeding
  --seed-only      create and seed the database, keep it, measure nothing (npm run bench:seed)
  --mysql URL      server URL without database (default mysql://root@127.0.0.1:3306; or BENCH_MYSQL_URL)
  --database NAME  database to create (default madoguchi_bench)
  --output FILE    Markdown report (default docs/benchmarks.md; --no-output to skip)
  --only healthz-upload
                   only /healthz latency during a 5 MB affected-list upload (updates its section)`;

export class BenchUsageError extends Error {}

function positiveInt(flag: string, value: string | undefined, min: number): number {
  const number = Number(value?.replace(/_/g, ''));
  if (value === undefined || !Number.isInteger(number) || number < min) {
    throw new BenchUsageError(`${flag} needs a whole number of at least ${min}, not ${value}`);
  }
  return number;
}

export function parseBenchOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_OPTIONS };
  if (env.BENCH_MYSQL_URL) options.mysqlUrl = env.BENCH_MYSQL_URL;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i];
    switch (flag) {
      case '--tickets':
        options.tickets = positiveInt(flag, next(), 0);
        break;
      case '--merchants':
        options.merchants = positiveInt(flag, next(), 1);
        break;
      case '--duration':
        options.duration = positiveInt(flag, next(), 1);
        break;
      case '--only': {
        const phase = next();
        if (phase !== 'healthz-upload') {
          throw new BenchUsageError(`--only takes healthz-upload, not ${phase}`);
        }
        options.only = phase;
        break;
      }
      case '--keep':
        options.keep = true;
        break;
      case '--reuse':
        options.reuse = true;
        options.keep = true;
        break;
      case '--seed-only':
        options.seedOnly = true;
        options.keep = true;
        break;
      case '--mysql':
        options.mysqlUrl = next() ?? '';
        break;
      case '--database':
        options.database = next() ?? '';
        break;
      case '--output':
        options.output = next() ?? '';
        break;
      case '--no-output':
        options.output = null;
        break;
      default:
        throw new BenchUsageError(`unknown option ${flag}`);
    }
  }
  if (!/^mysql:\/\/[^/]+$/.test(options.mysqlUrl.replace(/\/$/, ''))) {
    throw new BenchUsageError(
      `--mysql must be mysql://user[:pass]@host:port, not ${options.mysqlUrl}`,
    );
  }
  options.mysqlUrl = options.mysqlUrl.replace(/\/$/, '');
  // The database is created and dropped: never let a typo name a real one.
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(options.database)) {
    throw new BenchUsageError(
      `--database must be lower-case letters, digits and _ and contain "bench", not ${options.database}`,
    );
  }
  if (options.output === '') throw new BenchUsageError('--output needs a file name');
  return options;
}
