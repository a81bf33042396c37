import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

/** An unknown status token: a rate-limited GET that answers 404 and writes nothing but the counter. */
const PROBE = `/status/${'x'.repeat(43)}`;

describe(`TRUST_PROXY: the client address behind a proxy (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await testEnv?.cleanup();
  });

  async function intakeWith(env: Record<string, string>): Promise<NestFastifyApplication> {
    const app = await startIntakeApp(testEnv, { INTAKE_RATE_LIMIT_PER_MINUTE: '2', ...env });
    apps.push(app);
    return app;
  }

  /** The statuses of one GET per forwarded chain, in order (supertest connects from 127.0.0.1). */
  async function statuses(app: NestFastifyApplication, chains: string[]): Promise<number[]> {
    const result: number[] = [];
    for (const chain of chains) {
      const response = await request(app.getHttpServer()).get(PROBE).set('x-forwarded-for', chain);
      result.push(response.status);
    }
    return result;
  }

  describe("the intake's per-IP limit", () => {
    it('should count each forwarded client on its own with TRUST_PROXY=1', async () => {
      const app = await intakeWith({ TRUST_PROXY: '1' });

      expect(
        await statuses(app, ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2']),
      ).toEqual([404, 404, 429, 404]);
    });

    it('should count the socket address, whatever X-Forwarded-For says, without TRUST_PROXY', async () => {
      // A fresh window of its own: this app's clients are all 127.0.0.1, counted once per app
      // name; the earlier app's forwarded clients do not touch it.
      const app = await intakeWith({});

      expect(await statuses(app, ['203.0.113.11', '203.0.113.12', '203.0.113.13'])).toEqual([
        404, 404, 429,
      ]);
    });

    it('should ignore a client-written entry before the trusted hop (a spoofed X-Forwarded-For)', async () => {
      const app = await intakeWith({ TRUST_PROXY: '1' });

      // The proxy appends the real peer (203.0.113.21); what the client wrote before it is
      // ignored, so changing it buys no new budget.
      expect(
        await statuses(app, [
          '198.51.100.1, 203.0.113.21',
          '198.51.100.2, 203.0.113.21',
          '198.51.100.3, 203.0.113.21',
        ]),
      ).toEqual([404, 404, 429]);
    });

    it('should ignore X-Forwarded-For from a hop outside the trusted CIDR list', async () => {
      const app = await intakeWith({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.10' });

      // The socket (127.0.0.1) is not a trusted proxy: its header is not believed.
      const counted = await statuses(app, ['203.0.113.31', '203.0.113.32', '203.0.113.33']);
      expect(counted[2]).toBe(429);
    });
  });

  describe('the staff IP allow-list', () => {
    async function deskWith(env: Record<string, string>): Promise<NestFastifyApplication> {
      const app = await startDeskApp(testEnv, {
        STAFF_ALLOWED_IP_RANGES: '203.0.113.0/24',
        ...env,
      });
      apps.push(app);
      return app;
    }

    const login = (app: NestFastifyApplication, email: string, forwardedFor: string) =>
      request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', forwardedFor)
        .send({ email, password: TEST_PASSWORD });

    it('should see the forwarded client with TRUST_PROXY=1: in range logs in, out of range is refused', async () => {
      const app = await deskWith({ TRUST_PROXY: '1' });
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });

      const inRange = await login(app, agent.email, '203.0.113.50').expect(200);
      const cookie = ([] as string[])
        .concat(inRange.headers['set-cookie'] ?? [])
        .map((header) => header.split(';')[0])
        .join('; ');
      await request(app.getHttpServer())
        .get('/api/v1/auth/me')
        .set('cookie', cookie)
        .set('x-forwarded-for', '203.0.113.50')
        .expect(200);
      await request(app.getHttpServer())
        .get('/api/v1/auth/me')
        .set('cookie', cookie)
        .set('x-forwarded-for', '198.51.100.50')
        .expect(403);
      await login(app, agent.email, '198.51.100.50').expect(401);
    });

    it('should see the socket address without TRUST_PROXY, so a forwarded in-range address does not help', async () => {
      const app = await deskWith({});
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });

      await login(app, agent.email, '203.0.113.50').expect(401);
    });
  });
});
