import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';

export type AppName = 'intake' | 'desk' | 'telephony';

const ROOT = join(__dirname, '..', '..');
const REGISTER_TS = join(__dirname, 'child-process', 'register-ts.js');
const PORT_VARIABLE: Record<AppName, [port: string, publicUrl: string]> = {
  intake: ['INTAKE_PORT', 'INTAKE_PUBLIC_URL'],
  desk: ['DESK_PORT', 'DESK_PUBLIC_URL'],
  telephony: ['TELEPHONY_PORT', 'TELEPHONY_PUBLIC_URL'],
};

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One app running as its own process, as in production (its real main.ts). */
export interface ChildApp {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ChildExit>;
  /** Sends a signal (SIGTERM: graceful shutdown; SIGKILL: a crash). */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `apps/<name>/src/main.ts` in a child process, from the TypeScript sources (no build
 * needed, see child-process/register-ts.js), on a free port; resolves once it listens.
 */
export async function spawnApp(name: AppName, env: Record<string, string>): Promise<ChildApp> {
  const port = await freePort();
  const [portVariable, urlVariable] = PORT_VARIABLE[name];
  const url = `http://127.0.0.1:${port}`;
  const child = fork(join(ROOT, 'apps', name, 'src', 'main.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', REGISTER_TS],
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      [portVariable]: String(port),
      [urlVariable]: env[urlVariable] ?? url,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<ChildExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within 60 s:\n${output}`));
    }, 60_000);
    child.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return {
    port,
    url,
    process: child,
    output: () => output,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
