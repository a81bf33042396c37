import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseVmRssKb } from './stats';

/** A port the kernel says is free now (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One app (or baseline server) run as its own Node process, as in production. */
export interface RunningProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  /** Spawn to the first 200 of the readiness URL, in milliseconds. */
  startupMs: number;
  /** Last lines of its output, for the error message when it dies. */
  output: () => string;
  stop: () => Promise<void>;
}

export class ProcessFailedError extends Error {}

/**
 * Spawns `node script` with `env`, then polls `readyPath` every 20 ms until it answers 200.
 * Throws (with the process's last output) when it exits first or takes longer than `timeoutMs`.
 */
export async function startProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  port: number,
  readyPath = '/healthz',
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = () => lines.join('\n');
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new ProcessFailedError(`${name} exited during start-up:\n${output()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new ProcessFailedError(`${name} not ready after ${timeoutMs} ms:\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}${readyPath}`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { name, child, pid: child.pid ?? 0, baseUrl, startupMs, output, stop };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size of a process now, in kB (NaN once it is gone). */
export function rssKb(pid: number): number {
  try {
    return parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used so far, in ms; NaN once it is gone. */
export function cpuMs(pid: number): number {
  try {
    return parseProcStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'), USER_HZ);
  } catch {
    return Number.NaN;
  }
}

/** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line, in ms. */
export function parseProcStatCpuMs(stat: string, hz: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: count from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / hz : NaN;
}

/** Samples VmRSS every `intervalMs` until stopped; keeps the peak. */
export function sampleRss(pid: number, intervalMs = 100): { stop: () => number } {
  let peak = rssKb(pid);
  const timer = setInterval(() => {
    const now = rssKb(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      const now = rssKb(pid);
      return Number.isNaN(now) ? peak : Math.max(peak, now);
    },
  };
}
