import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { argon2id, hash } from 'argon2';
import { User, type UserRole } from '@madoguchi/auth';
import { loadConfig } from '@madoguchi/config';
import { QueueMember } from '@madoguchi/tickets';
import { createDeskApp, type DeskAppOptions } from '../../apps/desk/src/desk-app.factory';
import type { TestEnvironment } from './test-database';

export const TEST_PASSWORD = 'correct horse battery staple';

/** The real desk app on the test environment's database, ready for supertest. */
export async function startDeskApp(
  testEnv: TestEnvironment,
  extraEnv: Record<string, string> = {},
  options: DeskAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createDeskApp(loadConfig({ ...testEnv.env, ...extraEnv }), options);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export interface TestUserOptions {
  role: UserRole;
  /** Required for merchant roles. */
  merchantId?: number | null;
  /** Queues an agent is a member of. */
  queueIds?: number[];
  displayName?: string;
  /** Defaults to TEST_PASSWORD. */
  password?: string;
}

/**
 * Test users' hashes: real argon2id, but at OWASP's minimum (19 MiB, 2 passes) instead of the
 * desk's 64 MiB and 3 passes, so each of the suite's logins verifies in ~50 ms, not ~350 ms, on a
 * 2-core machine. The stored PHC string carries the parameters, so login verifies it as any
 * hash; users the desk itself creates (invites, password changes) get the full cost, and
 * libs/auth's password-hasher spec checks that cost. Each password is hashed once per file.
 */
const TEST_HASH_OPTIONS = {
  type: argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;
const hashes = new Map<string, Promise<string>>();

/** A user of its own (unique email) with the given role and queue memberships. */
export async function createTestUser(
  dataSource: DataSource,
  options: TestUserOptions,
): Promise<User> {
  const password = options.password ?? TEST_PASSWORD;
  if (!hashes.has(password)) hashes.set(password, hash(password, TEST_HASH_OPTIONS));
  const passwordHash = await (hashes.get(password) as Promise<string>);
  const suffix = randomBytes(4).toString('hex');
  const now = new Date();
  return dataSource.transaction(async (manager) => {
    const user = await manager.save(
      manager.create(User, {
        email: `${options.role.replace('_', '-')}-${suffix}@users.test`,
        displayName: options.displayName ?? `${options.role} ${suffix}`,
        role: options.role,
        merchantId: options.merchantId ?? null,
        passwordHash,
        totpSecret: null,
        totpLastStep: null,
        failedLoginCount: 0,
        lockedUntil: null,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    for (const queueId of options.queueIds ?? []) {
      await manager.insert(QueueMember, { queueId, userId: user.id, createdAt: now });
    }
    return user;
  });
}

export interface LoggedIn {
  /** The `Cookie` header value to send. */
  cookie: string;
  csrfToken: string;
}

/** Logs in through the contract route; fails the test if the login does not succeed. */
export async function loginAs(
  app: NestFastifyApplication,
  email: string,
  password = TEST_PASSWORD,
  totp?: string,
): Promise<LoggedIn> {
  const response = await request(app.getHttpServer())
    .post('/api/v1/auth/login')
    .send({ email, password, ...(totp ? { totp } : {}) })
    .expect(200);
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((header) => header.split(';')[0]).join('; ');
  return { cookie, csrfToken: (response.body as { csrfToken: string }).csrfToken };
}
