import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startDemoStack } from '../scripts/demo-stack';
import {
  type LighthousePageResult,
  meetsTarget,
  renderLighthouseSection,
  withLighthouseSection,
} from './lighthouse-report';

/**
 * `npm run lighthouse`: Lighthouse 12 (mobile, its default form factor and throttling) on the
 * shopper's form, a shopper's status page and the desk's login, with the demo data on SQLite;
 * the scores go to docs/benchmarks.md. Options: --runs N (default 3), --output FILE
 * (default docs/benchmarks.md), --no-output, --reports DIR (keep Lighthouse's JSON reports
 * there, to read what an audit found). CHROME_PATH picks the browser (default
 * /usr/bin/chromium). Exits 1 when a page misses the target, so a regression is noticed.
 */
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LIGHTHOUSE_CLI = join(__dirname, '..', 'node_modules', 'lighthouse', 'cli', 'index.js');
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

interface Options {
  runs: number;
  output: string | null;
  reports: string | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 3, output: 'docs/benchmarks.md', reports: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--output') options.output = argv[++i] ?? null;
    else if (arg === '--no-output') options.output = null;
    else if (arg === '--reports') options.reports = argv[++i] ?? null;
    else
      throw new Error(
        `unknown option ${arg} (--runs N, --output FILE, --no-output, --reports DIR)`,
      );
  }
  if (!Number.isInteger(options.runs) || options.runs < 1 || options.runs > 9) {
    throw new Error('--runs must be a whole number from 1 to 9');
  }
  return options;
}

/** The parts of Lighthouse's JSON result (LHR) this script reads. */
interface LighthouseResult {
  lighthouseVersion: string;
  environment: { hostUserAgent: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; scoreDisplayMode: string; numericValue?: number }>;
  runtimeError?: { code: string; message: string };
}

function runLighthouse(url: string, outputPath: string): Promise<LighthouseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        LIGHTHOUSE_CLI,
        url,
        '--quiet',
        '--output=json',
        `--output-path=${outputPath}`,
        `--only-categories=${CATEGORIES.join(',')}`,
        `--chrome-flags=${CHROME_FLAGS.join(' ')}`,
      ],
      {
        env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited ${code} on ${url}`));
      const result = JSON.parse(readFileSync(outputPath, 'utf8')) as LighthouseResult;
      if (result.runtimeError) {
        return reject(new Error(`lighthouse on ${url}: ${result.runtimeError.message}`));
      }
      resolve(result);
    });
  });
}

const score = (result: LighthouseResult, category: string) =>
  Math.round((result.categories[category]?.score ?? 0) * 100);

/** Audits of the two 100-target categories that count and did not pass. */
function failedAudits(result: LighthouseResult): string[] {
  const failed = new Set<string>();
  for (const category of ['accessibility', 'best-practices']) {
    for (const ref of result.categories[category]?.auditRefs ?? []) {
      const audit = result.audits[ref.id];
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) failed.add(ref.id);
    }
  }
  return [...failed];
}

async function measure(
  page: string,
  url: string,
  runs: number,
  folder: string,
): Promise<{ result: LighthousePageResult; lhr: LighthouseResult }> {
  const results: LighthouseResult[] = [];
  for (let run = 1; run <= runs; run++) {
    console.log(`lighthouse: ${page} run ${run}/${runs}`);
    results.push(
      await runLighthouse(url, join(folder, `${page.replace(/\W+/g, '-')}-${run}.json`)),
    );
  }
  const byPerformance = [...results].sort(
    (a, b) => score(a, 'performance') - score(b, 'performance'),
  );
  const median = byPerformance[Math.floor((byPerformance.length - 1) / 2)];
  const metric = (id: string) => median.audits[id]?.numericValue ?? Number.NaN;
  return {
    lhr: median,
    result: {
      page,
      path: new URL(url).pathname.replace(/\/status\/[^/]+/, '/status/{token}'),
      performance: score(median, 'performance'),
      accessibility: score(median, 'accessibility'),
      bestPractices: score(median, 'best-practices'),
      performanceRuns: results.map((result) => score(result, 'performance')),
      metrics: {
        fcp: metric('first-contentful-paint'),
        lcp: metric('largest-contentful-paint'),
        tbt: metric('total-blocking-time'),
        cls: metric('cumulative-layout-shift'),
        speedIndex: metric('speed-index'),
      },
      failedAudits: failedAudits(median),
    },
  };
}

/** Loads a page and what it links from /assets/, as a browser's first visit would. */
async function warmUp(url: string): Promise<void> {
  const page = await (await fetch(url)).text();
  for (const [, asset] of page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) {
    await (await fetch(new URL(asset, url))).arrayBuffer();
  }
}

function machine(): string {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB, Node ${process.version}, load average ${load}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const when = new Date();
  if (options.reports) mkdirSync(options.reports, { recursive: true });
  const folder = options.reports ?? mkdtempSync(join(tmpdir(), 'madoguchi-lighthouse-'));
  const stack = await startDemoStack();
  try {
    const pages: [string, string][] = [
      ['inquiry form', `${stack.intakeUrl}/s/demo-a-shop`],
      ['status page', stack.statusUrl],
      ['desk login', `${stack.deskUrl}/login`],
    ];
    // Each page once before measuring: the first request after start-up pays one-time costs
    // (the first render, the phrase parser's model) that no shopper's visit meets later.
    for (const [, url] of pages) await warmUp(url);
    const measured = [];
    for (const [page, url] of pages) measured.push(await measure(page, url, options.runs, folder));
    const results = measured.map((m) => m.result);
    for (const r of results) {
      console.log(
        `${r.page}: performance ${r.performance} (${r.performanceRuns.join(', ')}), accessibility ${r.accessibility}, best practices ${r.bestPractices}${r.failedAudits.length ? `; failed: ${r.failedAudits.join(', ')}` : ''}`,
      );
    }
    if (options.output) {
      const section = renderLighthouseSection({
        when,
        machine: machine(),
        lighthouseVersion: measured[0].lhr.lighthouseVersion,
        userAgent: measured[0].lhr.environment.hostUserAgent.replace(
          /^.*?(HeadlessChrome\/\S+).*$/,
          '$1',
        ),
        runs: options.runs,
        pages: results,
      });
      const before = existsSync(options.output) ? readFileSync(options.output, 'utf8') : '';
      writeFileSync(options.output, withLighthouseSection(before, section));
      console.log(`wrote ${options.output}`);
    }
    if (!results.every(meetsTarget)) process.exitCode = 1;
  } finally {
    await stack.stop();
    if (!options.reports) rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
