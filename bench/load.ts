import autocannon from 'autocannon';
import { summarise, type LatencySummary } from './stats';

/** What one load phase measured: every 2xx latency kept, other answers counted. */
export interface LoadResult {
  latency: LatencySummary;
  /** Successful answers per second over the phase. */
  throughput: number;
  /** Requests per second actually offered (fixed-rate phases: below the target means the rate was not met). */
  offeredRate: number;
  ok: number;
  /** Answers with an unexpected status, connection errors and timeouts. */
  failures: number;
  failureDetail: string;
  seconds: number;
  /** CPU time of the process under test per answered request (ms), where measured. */
  cpuMsPerRequest?: number;
}

export interface HttpLoad {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  rate?: number;
  method: 'GET' | 'POST';
  /** Request n (0, 1, …): its path, headers and body. Called once per request, so payloads differ. */
  request: (n: number) => { path: string; headers?: Record<string, string>; body?: string };
  expectStatus: number;
}

/** Drives one app with autocannon (HTTP/1.1 keep-alive, no pipelining). */
export function runHttpLoad(load: HttpLoad): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let n = 0;
  const first = load.request(n++);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.url,
        connections: load.connections,
        duration: load.seconds,
        overallRate: load.rate,
        pipelining: 1,
        timeout: 10,
        requests: [
          {
            method: load.method,
            path: first.path,
            headers: first.headers,
            body: first.body,
            // Each request after the first gets its own payload (distinct inquiries, call ids).
            setupRequest: (request) => {
              const next = load.request(n++);
              return { ...request, path: next.path, headers: next.headers, body: next.body };
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const ok = statuses.get(load.expectStatus) ?? 0;
        const unexpected = [...statuses.entries()].filter(
          ([status]) => status !== load.expectStatus,
        );
        const failures =
          unexpected.reduce((sum, [, count]) => sum + count, 0) + result.errors + result.timeouts;
        const seconds = result.duration;
        resolve({
          latency: summarise(latencies),
          throughput: ok / seconds,
          offeredRate: (result.requests.sent ?? ok + failures) / seconds,
          ok,
          failures,
          failureDetail: [
            ...unexpected.map(([status, count]) => `${count}×${status}`),
            result.errors ? `${result.errors} errors` : '',
            result.timeouts ? `${result.timeouts} timeouts` : '',
          ]
            .filter(Boolean)
            .join(', '),
          seconds,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      if (statusCode === load.expectStatus) latencies.push(responseTime);
    });
  });
}

/** One unit of work (a transaction, a few queries, one HTTP request) run from this process. */
export type Work = (n: number) => Promise<void>;

/** One HTTP request as a unit of work (Node's fetch, keep-alive); a status other than `expectStatus` throws. */
export function httpWork(
  load: Pick<HttpLoad, 'url' | 'method' | 'request' | 'expectStatus'>,
): Work {
  return async (n) => {
    const { path, headers, body } = load.request(n);
    const response = await fetch(`${load.url}${path}`, { method: load.method, headers, body });
    await response.arrayBuffer();
    if (response.status !== load.expectStatus) throw new Error(`HTTP ${response.status}`);
  };
}

/** `concurrency` workers each running `work` back to back for `seconds`: the throughput baseline. */
export async function runClosedLoop(
  work: Work,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstError = '';
  let n = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const begin = performance.now();
      try {
        await work(n++);
        latencies.push(performance.now() - begin);
      } catch (error) {
        failures++;
        firstError ||= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return {
    latency: summarise(latencies),
    throughput: latencies.length / elapsed,
    offeredRate: (latencies.length + failures) / elapsed,
    ok: latencies.length,
    failures,
    failureDetail: firstError,
    seconds: elapsed,
  };
}

/**
 * Starts `work` at a fixed rate for `seconds`, whether or not earlier ones finished (open loop);
 * each latency runs from the moment the work was due, so a stall counts in full (no coordinated
 * omission).
 */
export async function runFixedRate(
  work: Work,
  rate: number,
  seconds: number,
  maxInFlight = 256,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstError = '';
  let inFlight = 0;
  let skipped = 0;
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = started + n * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // A server that falls this far behind has lost the rate: count the rest, do not pile on.
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    running.push(
      work(n).then(
        () => {
          inFlight--;
          latencies.push(performance.now() - due);
        },
        (error: unknown) => {
          inFlight--;
          failures++;
          firstError ||= String(error);
        },
      ),
    );
  }
  await Promise.all(running);
  if (skipped > 0) {
    failures += skipped;
    firstError = [`${skipped} not sent (over ${maxInFlight} in flight)`, firstError]
      .filter(Boolean)
      .join('; ');
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    latency: summarise(latencies),
    throughput: latencies.length / elapsed,
    offeredRate: total / seconds,
    ok: latencies.length,
    failures,
    failureDetail: firstError,
    seconds: elapsed,
  };
}
