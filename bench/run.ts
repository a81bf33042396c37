import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Pool } from 'mysql2/promise';
import twilio from 'twilio';
import { DataSource, type Logger } from 'typeorm';
import { totpCodeAt } from '@madoguchi/auth';
import { SystemClock } from '@madoguchi/common';
import { BusinessCalendar } from '@madoguchi/calendar';
import { loadConfig } from '@madoguchi/config';
import { BlindIndex, FieldCipher, resolveCryptoKeys } from '@madoguchi/crypto';
import { buildDataSourceOptions } from '@madoguchi/schema';
import { detectDatabaseKind } from '@madoguchi/database';
import { QueueService } from '@madoguchi/tickets';
import { type CapturedQuery, inquiryBody, intakeTransaction, replayQueries } from './baselines';
import {
  benchPool,
  countTickets,
  createAgent,
  databaseExists,
  migrate,
  dropDatabase,
  readTenant,
  recreateDatabase,
  seedTickets,
  setUpTenant,
  type BenchMerchant,
} from './database';
import { httpWork, type LoadResult, runClosedLoop, runFixedRate, runHttpLoad } from './load';
import { BenchUsageError, parseBenchOptions, USAGE, type BenchOptions } from './options';
import { cpuMs, freePort, type RunningProcess, sampleRss, startProcess } from './processes';
import {
  renderReport,
  renderUploadStall,
  withUploadStallSection,
  type MachineInfo,
  type BenchReport,
} from './report';
import { measureUploadStall } from './upload-stall';
import { formatTextTable, type ResultRow } from './stats';
import { buildRows } from './rows';
import { keepLighthouseSection } from './lighthouse-report';

const DIST = resolve(__dirname, '..');
const APP_SCRIPTS = {
  intake: join(DIST, 'apps/intake/src/main.js'),
  desk: join(DIST, 'apps/desk/src/main.js'),
  telephony: join(DIST, 'apps/telephony/src/main.js'),
};
const TWILIO_AUTH_TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
/** Concurrent clients of the throughput phases, for the app and its baseline alike. */
const INTAKE_CONNECTIONS = 16;
const INTAKE_RATE = 200;
const QUEUE_RATE = 50;
const QUEUE_CONNECTIONS = 8;
const TWILIO_RATE = 100;
const WARM_UP_SECONDS = 2;
const STARTS_PER_APP = 3;

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  const startedAt = new Date();
  const databaseUrl = `${options.mysqlUrl}/${options.database}`;
  const ports = {
    intake: await freePort(),
    desk: await freePort(),
    telephony: await freePort(),
    bare: await freePort(),
  };
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    FIELD_ENCRYPTION_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    // Production requires one; nothing is sent (the outbox worker is off for the bench).
    SMTP_URL: 'smtp://127.0.0.1:9',
    OUTBOX_WORKER: 'off',
    SCHEDULED_JOBS: 'off',
    TWILIO_AUTH_TOKEN,
    INTAKE_PORT: String(ports.intake),
    DESK_PORT: String(ports.desk),
    TELEPHONY_PORT: String(ports.telephony),
    INTAKE_PUBLIC_URL: `http://127.0.0.1:${ports.intake}`,
    DESK_PUBLIC_URL: `http://127.0.0.1:${ports.desk}`,
    TELEPHONY_PUBLIC_URL: `http://127.0.0.1:${ports.telephony}`,
    // Raised, not removed: the limiter's own cost stays in the measurement.
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000000',
    // As behind a load balancer: each inquiry comes from its own address (X-Forwarded-For),
    // as a burst of shoppers would, so the per-IP limit counts per shopper.
    TRUST_PROXY: 'true',
    MADOGUCHI_VAR_DIR: resolve('var/bench'),
    TZ: process.env.TZ ?? 'UTC',
  };
  const config = loadConfig(env);
  const keys = resolveCryptoKeys(config);
  const cipher = new FieldCipher(keys);
  const blindIndex = new BlindIndex(keys);
  const calendar = new BusinessCalendar();
  const running: RunningProcess[] = [];
  let pool: Pool | null = null;
  let created = false;
  const cleanUp = async () => {
    for (const child of running.splice(0)) await child.stop();
    await pool?.end().catch(() => undefined);
    pool = null;
    if (created && !options.keep) {
      await dropDatabase(options.mysqlUrl, options.database).catch((error: unknown) =>
        console.error(`could not drop ${options.database}: ${String(error)}`),
      );
    }
  };
  process.once('SIGINT', () => {
    log('interrupted; stopping the apps');
    void cleanUp().then(() => process.exit(130));
  });

  try {
    log(
      `MariaDB/MySQL at ${options.mysqlUrl.replace(/\/\/[^@]*@/, '//')}, database ${options.database}`,
    );
    // ---- seeding -------------------------------------------------------------------------
    let tenant: BenchMerchant[];
    let seedSeconds: number | null = null;
    let seedAgentId: number | null = null;
    const reusable = options.reuse && (await databaseExists(options.mysqlUrl, options.database));
    pool = benchPool(databaseUrl, 20);
    if (reusable && (await countTickets(pool)) >= options.tickets) {
      created = true;
      const applied = await migrate(config);
      if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
      tenant = await readTenant(pool);
      log(`reusing ${options.database} (${await countTickets(pool)} tickets)`);
    } else {
      await pool.end();
      await recreateDatabase(options.mysqlUrl, options.database);
      created = true;
      pool = benchPool(databaseUrl, 20);
      log(`migrating and creating ${options.merchants} merchants`);
      tenant = await setUpTenant(config, options.merchants);
      seedAgentId = (await createAgent(config, cipher, tenant)).id;
      const seedStart = performance.now();
      let lastReport = 0;
      await seedTickets(
        pool,
        cipher,
        blindIndex,
        tenant,
        seedAgentId,
        options.tickets,
        (done, total) => {
          if (done - lastReport >= total / 10 || done === total) {
            lastReport = done;
            log(`seeded ${done.toLocaleString('en')} / ${total.toLocaleString('en')} tickets`);
          }
        },
      );
      seedSeconds = (performance.now() - seedStart) / 1000;
      await pool.query('ANALYZE TABLE tickets');
      log(
        `seeding took ${seedSeconds.toFixed(0)} s (${(options.tickets / seedSeconds).toFixed(0)} rows/s)`,
      );
    }
    if (options.seedOnly) {
      log(
        `kept ${options.database}; measure with: npm run bench -- --reuse --tickets ${options.tickets}`,
      );
      return;
    }
    if (options.only === 'healthz-upload') {
      // A generous start-up bound: this figure is often refreshed on a busy machine.
      const desk = await startProcess(
        'desk',
        APP_SCRIPTS.desk,
        env,
        ports.desk,
        '/healthz',
        180_000,
      );
      running.push(desk);
      log('upload: /healthz latency while a merchant uploads a 5 MB affected-customer list');
      const stall = await measureUploadStall(config, desk.baseUrl, tenant[0].id);
      logUploadStall(stall);
      if (options.output) {
        const machine = await machineInfo(pool);
        const section = renderUploadStall(
          stall,
          new Date(),
          `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage.map((v) => v.toFixed(2)).join(', ')}`,
        );
        const before = existsSync(options.output) ? readFileSync(options.output, 'utf8') : '';
        writeFileSync(options.output, withUploadStallSection(before, section));
        log(`updated the /healthz-during-upload section of ${options.output}`);
      }
      return;
    }
    const agent = await createAgent(config, cipher, tenant);

    // ---- start-up ------------------------------------------------------------------------
    const startup: Record<string, number[]> = { intake: [], desk: [], telephony: [] };
    const apps: Record<string, RunningProcess> = {};
    for (const name of ['intake', 'desk', 'telephony'] as const) {
      for (let i = 0; i < STARTS_PER_APP; i++) {
        const app = await startProcess(name, APP_SCRIPTS[name], env, ports[name]);
        startup[name].push(app.startupMs);
        if (i < STARTS_PER_APP - 1) await app.stop();
        else {
          apps[name] = app;
          running.push(app);
        }
      }
      log(`${name} ready in ${startup[name].map((ms) => ms.toFixed(0)).join(' / ')} ms`);
    }
    const rss: Record<string, number> = {};

    // ---- queue first page ----------------------------------------------------------------
    log('queue: logging in the agent and capturing the SQL of a first page');
    const cookie = await logIn(apps.desk.baseUrl, agent);
    const captured = await captureQueueSql(config, tenant, agent.id);
    const explain = await explainQueries(pool, captured[0]);
    const queuePath = (n: number) => `/api/v1/queues/${tenant[n % tenant.length].queueId}/tickets`;
    const queueRequest = (n: number) => ({ path: queuePath(n), headers: { cookie } });
    const queueLoad = (rate?: number, seconds = options.duration) =>
      runHttpLoad({
        url: apps.desk.baseUrl,
        connections: QUEUE_CONNECTIONS,
        seconds,
        rate,
        method: 'GET',
        request: queueRequest,
        expectStatus: 200,
      });
    const queueHttp = httpWork({
      url: apps.desk.baseUrl,
      method: 'GET',
      request: queueRequest,
      expectStatus: 200,
    });
    await queueLoad(undefined, WARM_UP_SECONDS);
    let sampler = sampleRss(apps.desk.pid);
    const queueApp = await runFixedRate(queueHttp, QUEUE_RATE, options.duration);
    const queueAppBurst = await queueLoad(QUEUE_RATE);
    const queueAppMax = await withCpu(apps.desk.pid, () => queueLoad());
    rss.desk = sampler.stop();
    const queueWork = (n: number) => replayQueries(pool as Pool, captured[n % captured.length])();
    await runClosedLoop(queueWork, QUEUE_CONNECTIONS, WARM_UP_SECONDS);
    const queueBase = await runFixedRate(queueWork, QUEUE_RATE, options.duration);
    const queueBaseMax = await withCpu(null, () =>
      runClosedLoop(queueWork, QUEUE_CONNECTIONS, options.duration),
    );
    log(
      `queue p95 ${queueApp.latency.p95.toFixed(1)} ms (SQL alone ${queueBase.latency.p95.toFixed(1)} ms)`,
    );

    // ---- /healthz while one merchant uploads a 5 MB affected list -------------------------
    log('upload: /healthz latency while a merchant uploads a 5 MB affected-customer list');
    const uploadStall = await measureUploadStall(config, apps.desk.baseUrl, tenant[0].id);
    logUploadStall(uploadStall);

    // ---- intake JSON API -----------------------------------------------------------------
    const intakeRun = randomBytes(4).toString('hex');
    const intakeRequest = (n: number) => ({
      path: `/api/v1/sites/${tenant[n % tenant.length].siteSlug}/inquiries`,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `bench-${intakeRun}-${n}`,
        'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      },
      body: JSON.stringify(inquiryBody(n)),
    });
    // Each phase numbers its requests from its own offset, so every inquiry and key is new.
    let intakeOffset = 0;
    const intakeLoad = (rate?: number, seconds = options.duration) => {
      const offset = (intakeOffset += 10_000_000);
      return runHttpLoad({
        url: apps.intake.baseUrl,
        connections: INTAKE_CONNECTIONS,
        seconds,
        rate,
        method: 'POST',
        request: (n) => intakeRequest(offset + n),
        expectStatus: 201,
      });
    };
    const intakeHttp = () => {
      const offset = (intakeOffset += 10_000_000);
      return httpWork({
        url: apps.intake.baseUrl,
        method: 'POST',
        request: (n) => intakeRequest(offset + n),
        expectStatus: 201,
      });
    };
    const intakeWork = intakeTransaction(pool, cipher, blindIndex, calendar, tenant);
    log('intake: baseline (bare mysql2 transactions), then the app');
    await runClosedLoop(intakeWork, INTAKE_CONNECTIONS, WARM_UP_SECONDS);
    const intakeBaseMax = await withCpu(null, () =>
      runClosedLoop(intakeWork, INTAKE_CONNECTIONS, options.duration),
    );
    const intakeBase = await runFixedRate(intakeWork, INTAKE_RATE, options.duration);
    await intakeLoad(undefined, WARM_UP_SECONDS);
    sampler = sampleRss(apps.intake.pid);
    const intakeAppMax = await withCpu(apps.intake.pid, () => intakeLoad());
    const intakeApp = await runFixedRate(intakeHttp(), INTAKE_RATE, options.duration);
    const intakeAppBurst = await intakeLoad(INTAKE_RATE);
    rss.intake = sampler.stop();
    log(
      `intake ${intakeAppMax.throughput.toFixed(0)}/s vs baseline ${intakeBaseMax.throughput.toFixed(0)}/s; ` +
        `p99 at ${INTAKE_RATE}/s ${intakeApp.latency.p99.toFixed(1)} ms`,
    );

    // ---- Twilio incoming webhook ---------------------------------------------------------
    const incomingUrl = `${config.http.telephonyPublicUrl}/twilio/voice/incoming`;
    const callRequest = (n: number) => {
      const params: Record<string, string> = {
        AccountSid: ACCOUNT_SID,
        ApiVersion: '2010-04-01',
        CallSid: `CA${randomBytes(16).toString('hex')}`,
        CallStatus: 'ringing',
        Direction: 'inbound',
        From: `+8190${String(10_000_000 + n).slice(-8)}`,
        To: config.twilio.windowNumber,
        Called: config.twilio.windowNumber,
        Caller: `+8190${String(10_000_000 + n).slice(-8)}`,
      };
      return {
        path: '/twilio/voice/incoming',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(
            TWILIO_AUTH_TOKEN,
            incomingUrl,
            params,
          ),
        },
        body: new URLSearchParams(params).toString(),
      };
    };
    const first = callRequest(0);
    const firstResponse = await fetch(`${apps.telephony.baseUrl}${first.path}`, {
      method: 'POST',
      headers: first.headers,
      body: first.body,
    });
    const twiml = await firstResponse.text();
    if (firstResponse.status !== 200) {
      throw new Error(`telephony answered ${firstResponse.status} to a signed call: ${twiml}`);
    }
    const withinHours = twiml.includes('<Gather');
    const bare = await startProcess(
      'bare-fastify',
      join(__dirname, 'bare-twiml-server.js'),
      { PORT: String(ports.bare), BENCH_TWIML_BASE64: Buffer.from(twiml).toString('base64') },
      ports.bare,
    );
    running.push(bare);
    const callLoad = (baseUrl: string, seconds = options.duration, rate?: number) =>
      runHttpLoad({
        url: baseUrl,
        connections: 10,
        seconds,
        rate,
        method: 'POST',
        request: (n) => callRequest(n + 1),
        expectStatus: 200,
      });
    const callHttp = (baseUrl: string) =>
      httpWork({
        url: baseUrl,
        method: 'POST',
        request: (n) => callRequest(n + 1),
        expectStatus: 200,
      });
    log('telephony: the app, then a bare Fastify route with the same TwiML');
    await callLoad(apps.telephony.baseUrl, WARM_UP_SECONDS);
    sampler = sampleRss(apps.telephony.pid);
    const callApp = await withCpu(apps.telephony.pid, () =>
      runFixedRate(callHttp(apps.telephony.baseUrl), TWILIO_RATE, options.duration),
    );
    const callAppBurst = await callLoad(apps.telephony.baseUrl, options.duration, TWILIO_RATE);
    rss.telephony = sampler.stop();
    await callLoad(bare.baseUrl, WARM_UP_SECONDS);
    sampler = sampleRss(bare.pid);
    const callBase = await withCpu(bare.pid, () =>
      runFixedRate(callHttp(bare.baseUrl), TWILIO_RATE, options.duration),
    );
    const callBaseBurst = await callLoad(bare.baseUrl, options.duration, TWILIO_RATE);
    rss.bare = sampler.stop();
    startup.bare = [bare.startupMs];

    // ---- report --------------------------------------------------------------------------
    const results: BenchReport['results'] = {
      intakeApp,
      intakeAppBurst,
      intakeAppMax,
      intakeBase,
      intakeBaseMax,
      queueApp,
      queueAppBurst,
      queueAppMax,
      queueBase,
      queueBaseMax,
      callApp,
      callAppBurst,
      callBase,
      callBaseBurst,
    };
    const report: BenchReport = {
      startedAt,
      finishedAt: new Date(),
      options,
      machine: await machineInfo(pool),
      seedSeconds,
      ticketsInDatabase: await countTickets(pool),
      startup,
      rss,
      results,
      uploadStall,
      explain,
      withinHours,
      rates: {
        intake: INTAKE_RATE,
        intakeConnections: INTAKE_CONNECTIONS,
        queue: QUEUE_RATE,
        queueConnections: QUEUE_CONNECTIONS,
        twilio: TWILIO_RATE,
      },
    };
    const rows: ResultRow[] = buildRows(report);
    console.log(`\n${formatTextTable(rows)}\n`);
    for (const [name, result] of Object.entries(results)) {
      if (result.failures > 0)
        console.log(`  ${name}: ${result.failures} failures (${result.failureDetail})`);
    }
    if (options.output) {
      // The Lighthouse section comes from `npm run lighthouse`: kept as it was.
      const previous = existsSync(options.output) ? readFileSync(options.output, 'utf8') : '';
      writeFileSync(options.output, keepLighthouseSection(renderReport(report, rows), previous));
      log(`wrote ${options.output}`);
    }
  } finally {
    await cleanUp();
  }
}

function logUploadStall(stall: Awaited<ReturnType<typeof measureUploadStall>>): void {
  log(
    `upload ${stall.uploadStatus} in ${(stall.uploadMs / 1000).toFixed(1)} s; /healthz during it ` +
      `p50 ${stall.p50.toFixed(1)} / p99 ${stall.p99.toFixed(1)} / max ${stall.max.toFixed(1)} ms ` +
      `(${stall.probes} probes; idle p99 ${stall.idle.p99.toFixed(1)} ms)`,
  );
}

/**
 * Runs a phase and notes the CPU time (user + system) the process under test spent per request:
 * an app's own process, or (pid null) this process, where the bare mysql2 baselines run.
 * Far less sensitive than latency to other work on the machine.
 */
async function withCpu(pid: number | null, phase: () => Promise<LoadResult>): Promise<LoadResult> {
  const now = () => {
    if (pid !== null) return cpuMs(pid);
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const before = now();
  const result = await phase();
  result.cpuMsPerRequest = (now() - before) / Math.max(1, result.ok + result.failures);
  return result;
}

/** POST /api/v1/auth/login with the password and a current TOTP code; returns the Cookie header. */
async function logIn(
  deskUrl: string,
  agent: { email: string; password: string; totpSecret: string },
): Promise<string> {
  const response = await fetch(`${deskUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: agent.email,
      password: agent.password,
      totp: totpCodeAt(agent.totpSecret, new Date()),
    }),
  });
  const text = await response.text();
  const setCookie = response.headers.get('set-cookie') ?? '';
  const match = /madoguchi_session=([^;]+)/.exec(setCookie);
  if (response.status !== 200 || !match) {
    throw new Error(`agent login failed (${response.status}): ${text}`);
  }
  return `madoguchi_session=${match[1]}`;
}

/**
 * The statements the desk runs for a queue's first page (the scope check, the count, the page),
 * taken from the app's own QueueService on a data source that records them: one set per queue.
 */
async function captureQueueSql(
  config: ReturnType<typeof loadConfig>,
  merchants: BenchMerchant[],
  agentId: number,
): Promise<CapturedQuery[][]> {
  let recording: CapturedQuery[] = [];
  const recorder: Logger = {
    logQuery: (sql, parameters) => {
      recording.push({ sql, parameters: Array.isArray(parameters) ? parameters : [] });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const dataSource = new DataSource({
    ...buildDataSourceOptions(config, await detectDatabaseKind(config)),
    logging: ['query'],
    logger: recorder,
  });
  await dataSource.initialize();
  try {
    const service = new QueueService(dataSource, new BusinessCalendar(), new SystemClock());
    const scope = {
      kind: 'staff' as const,
      userId: agentId,
      queueIds: merchants.map((m) => m.queueId),
    };
    const sets: CapturedQuery[][] = [];
    for (const merchant of merchants) {
      recording = [];
      await service.listTickets(scope, merchant.queueId, {}, { page: 1, pageSize: 25 }, agentId);
      sets.push(recording.filter((query) => /^\s*SELECT/i.test(query.sql)));
    }
    return sets;
  } finally {
    await dataSource.destroy();
  }
}

async function explainQueries(pool: Pool, queries: CapturedQuery[]): Promise<string[]> {
  const lines: string[] = [];
  for (const query of queries) {
    const [rows] = await pool.query(`EXPLAIN ${query.sql}`, query.parameters);
    lines.push(`-- ${query.sql.replace(/\s+/g, ' ').slice(0, 160)}…`);
    for (const row of rows as Array<Record<string, unknown>>) {
      lines.push(
        `${row.table}: type=${row.type} key=${row.key ?? 'NULL'} rows=${row.rows} ${row.Extra ?? ''}`.trim(),
      );
    }
  }
  return lines;
}

async function machineInfo(pool: Pool): Promise<MachineInfo> {
  const os = await import('node:os');
  const [rows] = await pool.query(
    'SELECT VERSION() AS version, @@innodb_buffer_pool_size AS bufferPool, @@innodb_flush_log_at_trx_commit AS flush',
  );
  const server = (
    rows as Array<{ version: string; bufferPool: number | string; flush: number | string }>
  )[0];
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    database: server.version,
    bufferPoolMb: Number(server.bufferPool) / 1024 ** 2,
    flushLogAtCommit: Number(server.flush),
    loadAverage: os.loadavg(),
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
