import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port';

const MARIADBD = '/usr/sbin/mariadbd';

/** True when this machine can run a MariaDB server of its own for a test. */
export function canRunPrivateMariadb(): boolean {
  return existsSync(MARIADBD);
}

/**
 * A MariaDB server of the test's own (temporary data directory, free port, no grant tables),
 * which the test may stop and start again; the shared server on 3306 is never touched.
 */
export interface PrivateMariadb {
  /** `mysql://root@127.0.0.1:<port>`, without a database. */
  readonly url: string;
  /** Ends the server: SIGKILL is a crash (InnoDB recovers on start), SIGTERM a clean stop. */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-mariadb-'));
  const dataDir = join(dir, 'data');
  const user = userInfo().username;
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--user=${user}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await freePort();
  const url = `mysql://root@127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    log = '';
    server = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--user=${user}`,
        '--skip-grant-tables',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const connection = await createConnection({ uri: url, connectTimeout: 1000 });
        await connection.end();
        return;
      } catch (error) {
        if (server.exitCode !== null || Date.now() > deadline) {
          throw new Error(`private mariadbd did not start: ${String(error)}\n${log}`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  const stop = async (signal: 'SIGKILL' | 'SIGTERM') => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    url,
    stop,
    start,
    async destroy() {
      await stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
