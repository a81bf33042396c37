import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { type ChildApp, spawnApp } from '../support/child-app';
import { missingTickets } from '../support/inquiry-integrity';
import { VALID_INQUIRY } from '../support/intake-test-app';
import { waitUntil } from '../support/wait-until';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * WORKERS=N (issue 17): the intake and the telephony app as N processes behind one port
 * (node:cluster). Real processes from main.ts: the workers share the port, a dead one is
 * replaced, and SIGTERM stops every worker gracefully before the primary exits 0.
 */
// Child processes start from the TypeScript sources (each worker transpiles them on its own).
jest.setTimeout(120_000);

/** The live child processes of `pid` (the workers of a primary). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

describe(`WORKERS: the app as several processes on one port (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  const children: ChildApp[] = [];
  let sent = 0;

  /** One inquiry on a connection of its own (a kept-alive one would die with its worker). */
  const post = (intake: ChildApp): Promise<{ status: number; reference: string }> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ ...VALID_INQUIRY, email: `worker-${(sent += 1)}@example.jp` });
      const req = httpRequest(
        `${intake.url}/api/v1/sites/${tenant.site.slug}/inquiries`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => {
            const parsed = JSON.parse(text) as { reference?: string };
            resolve({ status: res.statusCode ?? 0, reference: parsed.reference ?? '' });
          });
        },
      );
      req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    for (const child of children) {
      for (const worker of childrenOf(child.process.pid as number)) process.kill(worker, 'SIGKILL');
      child.kill('SIGKILL');
    }
    await Promise.all(children.map((child) => child.exited));
    await testEnv?.cleanup();
  });

  it('should serve the intake from two workers, replace one that dies, and stop all on SIGTERM', async () => {
    const intake = await spawnApp('intake', { ...testEnv.env, WORKERS: '2' });
    children.push(intake);
    const primary = intake.process.pid as number;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);
    // "listening" is announced once, by the primary, after both workers listen.
    expect(intake.output().match(/intake listening on/g)).toHaveLength(1);

    const first = await Promise.all(Array.from({ length: 12 }, () => post(intake)));
    expect(first.map((response) => response.status)).toEqual(Array(12).fill(201));
    // A worker that dies is replaced; the port answers meanwhile (the other worker).
    process.kill(workers[0], 'SIGKILL');
    // Once the primary has seen it go (a connection in the same instant may be lost with it).
    await waitUntil(() => intake.output().includes('worker 0 exited'), 30_000);
    expect((await post(intake)).status).toBe(201);
    await waitUntil(() => intake.output().includes('worker 0 listening again'), 90_000);
    const now = childrenOf(primary);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(workers[0]);
    const references: string[] = [];
    for (const response of await Promise.all(Array.from({ length: 6 }, () => post(intake)))) {
      expect(response.status).toBe(201);
      references.push(response.reference);
    }
    expect(await missingTickets(testEnv, references)).toEqual([]);

    const replacement = childrenOf(primary);
    intake.kill('SIGTERM');
    expect(await intake.exited).toEqual({ code: 0, signal: null });
    expect(replacement.filter(isAlive)).toEqual([]);
    expect(intake.output()).toContain('SIGTERM: stopping 2 workers');
  });

  it('should refuse WORKERS outside 1…64 at start, naming the variable', async () => {
    await expect(spawnApp('telephony', { ...testEnv.env, WORKERS: '0' })).rejects.toThrow(
      /WORKERS/,
    );
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
