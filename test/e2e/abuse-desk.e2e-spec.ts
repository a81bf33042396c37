import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Session, User } from '@madoguchi/auth';
import { RateLimitCounter } from '@madoguchi/http';
import { OutboxJob } from '@madoguchi/mail';
import {
  createTestUser,
  loginAs,
  type LoggedIn,
  startDeskApp,
  TEST_PASSWORD,
} from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const LOGIN = '/api/v1/auth/login';

describe(`abuse of the desk's logins and forms (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let other: TestTenant;

  const http = (app: NestFastifyApplication = desk) => request(app.getHttpServer());
  const audits = (action: string) =>
    testEnv.dataSource.getRepository(AuditEvent).find({ where: { action }, order: { id: 'ASC' } });
  const passwordChecks = async (userId: number) =>
    (await audits('auth.login_failed')).filter((event) => event.actorId === userId).length;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    other = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('login attempt budgets (before the argon2 hash)', () => {
    // Each case counts from zero: the counters of one window would carry over to the next case.
    beforeEach(async () => {
      await testEnv.dataSource.getRepository(RateLimitCounter).clear();
    });

    it('should refuse logins over the per-account budget with 429, without checking the password', async () => {
      const limited = await startDeskApp(testEnv, {
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES: '50',
      });
      try {
        const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await http(limited)
            .post(LOGIN)
            .send({ email: agent.email, password: `wrong ${i}` });
          statuses.push(response.status);
        }
        expect(statuses).toEqual([401, 401, 401, 429, 429]);
        // Only the three within the budget were verified (each leaves one failure audit).
        expect(await passwordChecks(agent.id)).toBe(3);
        // The budget is the account's, whatever the spelling of its address…
        await http(limited)
          .post(LOGIN)
          .send({ email: agent.email.toUpperCase(), password: TEST_PASSWORD })
          .expect(429);
        // …and does not touch other accounts.
        const someoneElse = await createTestUser(testEnv.dataSource, { role: 'agent' });
        await http(limited)
          .post(LOGIN)
          .send({ email: someoneElse.email, password: TEST_PASSWORD })
          .expect(200);
        // Unknown accounts have a budget too (each costs a dummy hash).
        const unknown: number[] = [];
        for (let i = 0; i < 4; i++) {
          unknown.push(
            (
              await http(limited)
                .post(LOGIN)
                .send({ email: 'nobody@users.test', password: `guess ${i}` })
            ).status,
          );
        }
        expect(unknown).toEqual([401, 401, 401, 429]);
      } finally {
        await limited.close();
      }
      // A dozen argon2 hashes and a second app: slow on a busy machine (not a speed check).
    }, 240_000);

    it('should refuse logins over the per-IP budget with 429, on the form as on the API, across instances', async () => {
      const env = { LOGIN_RATE_LIMIT_PER_IP: '4' };
      const first = await startDeskApp(testEnv, env);
      const second = await startDeskApp(testEnv, env);
      try {
        const users = [];
        // One after the other: SQLite's one connection takes one transaction at a time.
        for (let i = 0; i < 6; i++) {
          users.push(await createTestUser(testEnv.dataSource, { role: 'agent' }));
        }
        const statuses: number[] = [];
        for (const [index, user] of users.entries()) {
          const app = index % 2 === 0 ? first : second;
          const response =
            index % 3 === 0
              ? await http(app).post('/login').type('form').send({
                  email: user.email,
                  password: 'wrong password',
                })
              : await http(app).post(LOGIN).send({ email: user.email, password: 'wrong password' });
          statuses.push(response.status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
        expect(await passwordChecks(users[4].id)).toBe(0);
        expect(await passwordChecks(users[5].id)).toBe(0);
      } finally {
        await first.close();
        await second.close();
      }
    });

    it('should bound parallel fake logins from one address to the budget', async () => {
      const limited = await startDeskApp(testEnv, { LOGIN_RATE_LIMIT_PER_IP: '5' });
      try {
        const before = (await audits('auth.login_failed')).length;
        const responses = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            http(limited)
              .post(LOGIN)
              .send({ email: `fake-${i}@users.test`, password: 'whatever password' }),
          ),
        );
        const statuses = responses.map((response) => response.status);
        expect(statuses.filter((status) => status === 401)).toHaveLength(5);
        expect(statuses.filter((status) => status === 429)).toHaveLength(7);
        expect((await audits('auth.login_failed')).length - before).toBe(5);
      } finally {
        await limited.close();
      }
    });
  });

  describe('existence is not revealed', () => {
    it('should answer a locked account with the body of a wrong password', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const wrong = await http().post(LOGIN).send({ email: agent.email, password: 'nope nope' });
      await testEnv.dataSource
        .getRepository(User)
        .update(
          { id: agent.id },
          { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 600_000) },
        );
      const locked = await http().post(LOGIN).send({ email: agent.email, password: TEST_PASSWORD });
      const unknown = await http()
        .post(LOGIN)
        .send({ email: 'no.such.user@users.test', password: TEST_PASSWORD });
      expect(locked.status).toBe(401);
      expect(locked.body).toEqual(wrong.body);
      expect(unknown.body).toEqual(wrong.body);
      // The lock is still recorded for the operator.
      const failures = (await audits('auth.login_failed')).filter((e) => e.actorId === agent.id);
      expect(JSON.parse(failures[failures.length - 1].detail ?? '{}')).toEqual({
        reason: 'locked',
      });
    });

    it('should answer a merchant admin inviting an address of another tenant as if it was invited', async () => {
      const admin = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      const own = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      const elsewhere = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: other.merchant.id,
      });
      const staff = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const session = await loginAs(desk, admin.email);
      const invite = (email: string) =>
        http()
          .post('/portal/users')
          .set('Cookie', session.cookie)
          .set('Accept', 'text/html')
          .type('form')
          .send({ _csrf: session.csrfToken, email, displayName: '招待', role: 'merchant_viewer' });
      const usersBefore = await testEnv.dataSource.getRepository(User).count();
      const mailsBefore = await testEnv.dataSource.getRepository(OutboxJob).count();
      const fresh = await invite('brand.new@sakura.example.jp').expect(303);
      const otherTenant = await invite(elsewhere.email.toUpperCase()).expect(303);
      const operatorStaff = await invite(staff.email).expect(303);
      expect(otherTenant.headers.location).toBe(fresh.headers.location);
      expect(operatorStaff.headers.location).toBe(fresh.headers.location);
      // Only the fresh address became a user and got a mail.
      expect(await testEnv.dataSource.getRepository(User).count()).toBe(usersBefore + 1);
      expect(await testEnv.dataSource.getRepository(OutboxJob).count()).toBe(mailsBefore + 1);
      expect(
        (await testEnv.dataSource.getRepository(User).findOneByOrFail({ id: elsewhere.id }))
          .merchantId,
      ).toBe(other.merchant.id);
      // One of the merchant's own users (listed on that page anyway) is still "taken".
      await invite(own.email).expect(400);
    });
  });

  describe('login CSRF and a malformed next', () => {
    let agentEmail: string;

    beforeAll(async () => {
      agentEmail = (await createTestUser(testEnv.dataSource, { role: 'agent' })).email;
    });

    it.each([
      ['Origin of another site', { Origin: 'https://evil.example' }],
      ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
      ['Sec-Fetch-Site same-site (a sibling host)', { 'Sec-Fetch-Site': 'same-site' }],
      ['Origin null (a sandboxed frame)', { Origin: 'null' }],
    ])('should refuse a login posted from %s (403, no session)', async (_what, headers) => {
      const sessionsBefore = await testEnv.dataSource.getRepository(Session).count();
      const form = await http()
        .post('/login')
        .set(headers)
        .type('form')
        .send({ email: agentEmail, password: TEST_PASSWORD })
        .expect(403);
      expect(form.headers['set-cookie']).toBeUndefined();
      await http()
        .post(LOGIN)
        .set(headers)
        .send({ email: agentEmail, password: TEST_PASSWORD })
        .expect(403);
      expect(await testEnv.dataSource.getRepository(Session).count()).toBe(sessionsBefore);
    });

    it('should take a login from the desk itself (same origin, or a client without those headers)', async () => {
      const address = desk.getHttpServer().address();
      await http()
        .post('/login')
        .set({ 'Sec-Fetch-Site': 'same-origin', Origin: 'http://localhost:3001' })
        .type('form')
        .send({ email: agentEmail, password: TEST_PASSWORD })
        .expect(303);
      await http().post(LOGIN).send({ email: agentEmail, password: TEST_PASSWORD }).expect(200);
      expect(address).toBeDefined();
    });

    it.each([
      ['a repeated field', { next: ['/a', '/b'] }],
      ['an over-long value', { next: `/${'a'.repeat(2100)}` }],
    ])('should answer %s in next with a clean 400 before any session', async (_what, extra) => {
      const sessionsBefore = await testEnv.dataSource.getRepository(Session).count();
      const response = await http()
        .post('/login')
        .set('Accept', 'application/json')
        .type('form')
        .send({ email: agentEmail, password: TEST_PASSWORD, ...extra });
      expect(response.status).toBe(400);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.text).not.toMatch(/stack|Error:|at /);
      expect(await testEnv.dataSource.getRepository(Session).count()).toBe(sessionsBefore);
      await http().get('/login').query(extra).expect(400);
    });

    it('should redirect to a next with characters a header cannot hold, percent-encoded (no 500)', async () => {
      const response = await http()
        .post('/login')
        .type('form')
        .send({ email: agentEmail, password: TEST_PASSWORD, next: '/tickets?q=山田' })
        .expect(303);
      expect(response.headers.location).toBe('/tickets?q=%E5%B1%B1%E7%94%B0');
    });
  });

  describe('password re-entry for exports', () => {
    it('should reserve each re-entry before checking the password: parallel guesses stop at the budget', async () => {
      const limited = await startDeskApp(testEnv, { REAUTH_RATE_LIMIT_PER_USER: '3' });
      try {
        const admin = await createTestUser(testEnv.dataSource, {
          role: 'merchant_admin',
          merchantId: tenant.merchant.id,
        });
        const session: LoggedIn = await loginAs(limited, admin.email);
        const responses = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            http(limited)
              .post('/portal/export')
              .set('Cookie', session.cookie)
              .set('Accept', 'text/html')
              .type('form')
              .send({ _csrf: session.csrfToken, password: `guess ${i}`, from: '', to: '' }),
          ),
        );
        const statuses = responses.map((response) => response.status).sort();
        expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
        const failed = (await audits('export.cases_failed')).filter(
          (event) => event.actorId === admin.id,
        );
        expect(failed.length).toBeLessThanOrEqual(3);
      } finally {
        await limited.close();
      }
    });
  });
});
