import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DB } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
const REGISTER_TS = join(__dirname, '..', 'support', 'child-process', 'register-ts.js');

/** Runs an app's real main.ts with `env` until it exits; its exit code and output. */
function run(
  app: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = fork(join(ROOT, 'apps', app, 'src', 'main.ts'), [], {
      cwd: ROOT,
      execArgv: ['-r', REGISTER_TS],
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe(`development secrets on a public interface (${TEST_DB})`, () => {
  it('should refuse to start the desk on 0.0.0.0 without NODE_ENV, naming the variables to set', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'madoguchi-public-'));
    try {
      const { code, output } = await run('desk', {
        MADOGUCHI_VAR_DIR: varDir,
        LISTEN_HOST: '0.0.0.0',
        DESK_PORT: '0',
      });

      expect(code).toBe(1);
      expect(output).toContain('LISTEN_HOST: 0.0.0.0 is not a loopback address');
      for (const name of [
        'TWILIO_AUTH_TOKEN',
        'FIELD_ENCRYPTION_KEYS',
        'BLIND_INDEX_KEY',
        'DEMO_PASSWORD',
      ]) {
        expect(output).toContain(name);
      }
      expect(output).not.toContain('listening on');
    } finally {
      rmSync(varDir, { recursive: true, force: true });
    }
  });
});
