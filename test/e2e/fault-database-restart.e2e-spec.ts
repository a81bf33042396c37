import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { checkInquiryIntegrity, missingTickets } from '../support/inquiry-integrity';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import {
  canRunPrivateMariadb,
  type PrivateMariadb,
  startPrivateMariadb,
} from '../support/private-mariadb';
import { waitUntil } from '../support/wait-until';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * The database server dies during a burst of submissions and comes back. Runs with the
 * MariaDB tier (TEST_DB=mysql) on a private mariadbd the test starts, kills, stops and restarts
 * (the shared server on 3306 is never touched); skipped on SQLite, which has no server.
 */
const describeOnMariadb = TEST_DB === 'mysql' && canRunPrivateMariadb() ? describe : describe.skip;

const CONCURRENCY = 6;

interface Outcome {
  status: number;
  code?: string;
  reference?: string;
}

jest.setTimeout(180_000);

const title =
  TEST_DB !== 'mysql'
    ? 'fault: database crash: skipped on SQLite (MariaDB only; npm run test:mysql runs it)'
    : canRunPrivateMariadb()
      ? 'fault: MariaDB crashes, stops and restarts during a burst of submissions'
      : 'fault: database crash: skipped, no /usr/sbin/mariadbd on this machine to run a private server';

describeOnMariadb(title, () => {
  let mariadb: PrivateMariadb;
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  let intake: NestFastifyApplication;

  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    // The rate limit stays on (its store is the database too), high enough for the burst.
    testEnv = await createTestEnvironment(
      { INTAKE_RATE_LIMIT_PER_MINUTE: '100000' },
      { mysqlServerUrl: mariadb.url },
    );
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await startIntakeApp(testEnv);
  });

  afterAll(async () => {
    await intake?.close().catch(() => undefined);
    await testEnv?.cleanup().catch(() => undefined);
    await mariadb?.destroy();
  });

  it('should store every inquiry it answered 201, and answer every other one 503', async () => {
    const outcomes: Outcome[] = [];
    let phase: 'up' | 'down' | 'done' = 'up';
    let createdAfterLastRestart = 0;
    const count = (status: number) => outcomes.filter((o) => o.status === status).length;

    const submitUntilRecovered = async (loop: number) => {
      // Bounded, so a database that never comes back fails the test instead of hanging it.
      for (
        let i = 0;
        (phase !== 'done' || createdAfterLastRestart < 30) && outcomes.length < 3000;
        i++
      ) {
        const response = await request(intake.getHttpServer())
          .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
          // Each its own address: an address gets at most five confirmation mails a day.
          .send({
            ...VALID_INQUIRY,
            name: `burst ${loop}-${i}`,
            email: `burst-${loop}-${i}@example.jp`,
          });
        const body = response.body as { code?: string; reference?: string };
        outcomes.push({ status: response.status, code: body.code, reference: body.reference });
        if (phase === 'done' && response.status === 201) createdAfterLastRestart++;
      }
    };
    // Two outages: a crash (SIGKILL: connections die mid-transaction, InnoDB recovers on
    // start), then a clean stop (SIGTERM: the server closes its connections and shuts down).
    const stopAndRestart = async () => {
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        const [created, refused] = [count(201), count(503)];
        await waitUntil(() => count(201) >= created + 30, 60_000);
        await mariadb.stop(signal);
        phase = 'down';
        await waitUntil(() => count(503) >= refused + 15, 60_000);
        await mariadb.start();
        phase = 'up';
      }
      phase = 'done';
    };
    await Promise.all([
      stopAndRestart(),
      ...Array.from({ length: CONCURRENCY }, (_, loop) => submitUntilRecovered(loop)),
    ]);

    const created = outcomes.filter((o) => o.status === 201);
    const refused = outcomes.filter((o) => o.status !== 201);
    // Every failure was a clear 503 naming the cause, never a 500 or a dropped connection.
    expect(refused.map((o) => `${o.status} ${o.code}`)).toEqual(
      refused.map(() => '503 DATABASE_UNAVAILABLE'),
    );
    expect(refused.length).toBeGreaterThanOrEqual(30);
    expect(created.length).toBeGreaterThanOrEqual(90);
    // Every 201 is in the database, whole.
    const references = created.map((o) => o.reference as string);
    expect(await missingTickets(testEnv, references)).toEqual([]);
    const integrity = await checkInquiryIntegrity(testEnv);
    expect(integrity.halfWritten).toEqual([]);
    // A commit whose answer was lost with the connection may be stored although it got a 503
    // (the client retries with its Idempotency-Key); never more tickets than that.
    expect(integrity.references.length - created.length).toBeGreaterThanOrEqual(0);
    expect(integrity.references.length - created.length).toBeLessThanOrEqual(refused.length);
    console.info(
      `database crash and stop during a burst: ${created.length} × 201 (all stored), ${refused.length} × 503, ` +
        `${integrity.references.length - created.length} committed as the connection died`,
    );

    // And the intake is healthy again.
    await request(intake.getHttpServer()).get('/healthz').expect(200);
  });
});
