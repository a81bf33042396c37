import { createHash, randomBytes } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { LessThan } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { Session } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { loadConfig } from '@madoguchi/config';
import { BlindIndex, buildCryptoKeys, FieldCipher } from '@madoguchi/crypto';
import { ALL_MIGRATIONS, ENCRYPTED_COLUMNS } from '@madoguchi/schema';
import { rotateFieldKeys } from '@madoguchi/operations';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { IdempotencyKey, Ticket } from '@madoguchi/tickets';
import { HousekeepingService, RetentionService } from '@madoguchi/jobs';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const DAY_MS = 24 * 60 * 60 * 1000;

describe(`data at rest (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let cipher: FieldCipher;
  let inquiries = 0;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      // Nothing listens there: every delivery fails (connection refused).
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    cipher = desk.get(FieldCipher);
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  /** A person of its own per inquiry: name, email, phone and order number all distinct. */
  function shopper() {
    inquiries += 1;
    const n = String(inquiries).padStart(2, '0');
    return {
      ...VALID_INQUIRY,
      name: `保管 太郎${n}`,
      email: `rest.shopper${n}.${randomBytes(3).toString('hex')}@shopper-mail.example`,
      phone: `080-77${n}-31${n}`,
      orderNumber: `RST-${randomBytes(4).toString('hex').toUpperCase()}`,
    };
  }

  function submit(body: object, key?: string): request.Test {
    const call = request(intake.getHttpServer()).post(
      `/api/v1/sites/${tenant.site.slug}/inquiries`,
    );
    return (key ? call.set('idempotency-key', key) : call).send(body);
  }

  describe('call recordings', () => {
    it('should seal plaintext recordings when migrating up and open them again when reverting', async () => {
      // A database of its own with no tenant yet: SQLite rebuilds a table to drop a column, which
      // its foreign keys refuse while other rows point at it.
      const fresh = await createTestEnvironment({}, { freshMigrations: true });
      const ds = fresh.dataSource;
      const mine = ALL_MIGRATIONS.findIndex((m) => m.name === 'DataAtRestAccounts1764860000000');
      expect(mine).toBeGreaterThan(0);
      const later = ALL_MIGRATIONS.length - mine;
      for (let i = 0; i < later; i++) await ds.undoLastMigration({ transaction: 'each' });
      const sid = `RE${'a'.repeat(32)}`;
      const url = `https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/${sid}`;
      const now = new Date();
      await ds
        .createQueryBuilder()
        .insert()
        // Only the columns of that schema: the entity has columns later migrations add.
        .into('calls', [
          'callSid',
          'callerIdWithheld',
          'toNumber',
          'status',
          'recordingSid',
          'recordingUrl',
          'createdAt',
          'updatedAt',
        ])
        .values({
          callSid: `CA${randomBytes(16).toString('hex')}`,
          callerIdWithheld: true,
          toNumber: '+81367447492',
          status: 'completed',
          recordingSid: sid,
          recordingUrl: url,
          createdAt: now,
          updatedAt: now,
        })
        // …and no read-back of defaults (callback_attempts) the old schema lacks.
        .updateEntity(false)
        .execute();
      const read = async () =>
        (await ds.query(
          `SELECT recording_sid AS sid, recording_url AS url FROM calls WHERE recording_sid IS NOT NULL`,
        )) as { sid: string; url: string }[];
      // The migration reads the keys of the environment, as `npm run migration:run` does.
      const saved = { ...process.env };
      Object.assign(process.env, {
        FIELD_ENCRYPTION_KEYS: fresh.env.FIELD_ENCRYPTION_KEYS,
        BLIND_INDEX_KEY: fresh.env.BLIND_INDEX_KEY,
        MADOGUCHI_VAR_DIR: fresh.env.MADOGUCHI_VAR_DIR,
      });
      const freshCipher = new FieldCipher(
        buildCryptoKeys(fresh.env.FIELD_ENCRYPTION_KEYS, fresh.env.BLIND_INDEX_KEY),
      );
      try {
        await ds.runMigrations({ transaction: 'each' });
        const [sealed] = await read();
        expect(sealed.sid).toMatch(/^enc1:/);
        expect(sealed.url).toMatch(/^enc1:/);
        expect(freshCipher.decrypt(sealed.sid)).toBe(sid);
        expect(freshCipher.decrypt(sealed.url)).toBe(url);

        for (let i = 0; i < later; i++) await ds.undoLastMigration({ transaction: 'each' });
        expect(await read()).toEqual([{ sid, url }]);
        await ds.runMigrations({ transaction: 'each' });
      } finally {
        process.env = saved;
        await fresh.cleanup();
      }
    });

    it('should register the recording columns, so the key rotation re-encrypts them', async () => {
      expect(ENCRYPTED_COLUMNS.find((spec) => spec.table === 'calls')?.columns).toEqual(
        expect.arrayContaining(['recording_sid', 'recording_url', 'callback_note']),
      );
      // Issue 15: voicemails kept in the desk, sealed slice by slice.
      expect(
        ENCRYPTED_COLUMNS.find((spec) => spec.table === 'call_recording_parts')?.columns,
      ).toEqual(['content']);
      const sid = `RE${'b'.repeat(32)}`;
      const call = await insertTestCall(testEnv.dataSource, {
        recordingSid: cipher.encrypt(sid),
        recordingUrl: cipher.encrypt(`https://api.twilio.test/${sid}`),
      });
      const keys = buildCryptoKeys(
        `t2:${randomBytes(32).toString('base64')},${testEnv.env.FIELD_ENCRYPTION_KEYS}`,
        testEnv.env.BLIND_INDEX_KEY,
      );
      const rotated = new FieldCipher(keys);

      const report = await rotateFieldKeys(testEnv.dataSource, rotated, {
        tables: ENCRYPTED_COLUMNS.filter((spec) => spec.table === 'calls'),
      });

      expect(report.complete).toBe(true);
      const row = await testEnv.dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
      expect(rotated.keyIdOf(row.recordingSid as string)).toBe('t2');
      expect(rotated.keyIdOf(row.recordingUrl as string)).toBe('t2');
      expect(rotated.decrypt(row.recordingSid as string)).toBe(sid);
    });
  });

  describe('idempotency records', () => {
    it('should store an HMAC of the request, not its plain SHA-256, and still replay', async () => {
      const body = shopper();
      const key = `idem-${randomBytes(8).toString('hex')}`;
      const first = await submit(body, key).expect(201);

      const [record] = await testEnv.dataSource.getRepository(IdempotencyKey).find({
        order: { id: 'DESC' },
        take: 1,
      });
      const plain = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      expect(record.requestDigest).not.toBe(plain);
      expect(record.requestDigest).toBe(desk.get(BlindIndex).requestDigest(body));

      const replay = await submit(body, key).expect(201);
      expect(replay.body).toMatchObject({
        reference: (first.body as { reference: string }).reference,
      });
      const changed = await submit({ ...body, message: '別の内容です。' }, key);
      expect(changed.status).toBeGreaterThanOrEqual(400);
      expect(changed.status).toBeLessThan(500);
    });
  });

  describe('retention and housekeeping', () => {
    it('should erase the outbox mails of an erased ticket, and only those', async () => {
      const erased = await submit(shopper()).expect(201);
      const kept = await submit(shopper()).expect(201);
      const ticketOf = (response: request.Response) =>
        testEnv.dataSource.getRepository(Ticket).findOneByOrFail({
          reference: (response.body as { reference: string }).reference,
        });
      const [gone, stays] = [await ticketOf(erased), await ticketOf(kept)];
      const jobs = testEnv.dataSource.getRepository(OutboxJob);
      expect(await jobs.countBy({ ticketId: gone.id })).toBe(1);
      const now = new Date();
      await testEnv.dataSource
        .getRepository(Ticket)
        .update(
          { id: gone.id },
          { status: 'closed', closedAt: new Date(now.getTime() - 400 * DAY_MS) },
        );

      await desk.get(RetentionService).eraseDue(now);

      expect(await jobs.countBy({ ticketId: gone.id })).toBe(0);
      expect(await jobs.countBy({ ticketId: stays.id })).toBe(1);
      const erasure = await testEnv.dataSource.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.ticketErased,
        targetId: gone.reference,
      });
      expect(JSON.parse(erasure.detail as string)).toMatchObject({ mails: 1 });
    });

    it('should purge sent mail after OUTBOX_SENT_RETENTION_DAYS, expired sessions, and audit events past AUDIT_RETENTION_DAYS', async () => {
      const ds = testEnv.dataSource;
      const now = new Date();
      const at = (days: number) => new Date(now.getTime() - days * DAY_MS);
      const job = (status: 'sent' | 'pending', sentDaysAgo: number | null) =>
        ds.getRepository(OutboxJob).save({
          type: 'mail',
          payload: cipher.encrypt('{}'),
          status,
          attempts: 1,
          nextAttemptAt: at(40),
          leaseOwner: null,
          leaseExpiresAt: null,
          lastError: null,
          createdAt: at(40),
          sentAt: sentDaysAgo === null ? null : at(sentDaysAgo),
          ticketId: null,
        });
      const oldSent = await job('sent', 31);
      const recentSent = await job('sent', 29);
      const pending = await job('pending', null);

      const user = await createTestUser(ds, { role: 'agent' });
      const live = await loginAs(desk, user.email);
      const expired = await ds.getRepository(Session).save({
        tokenHash: randomBytes(32).toString('hex'),
        userId: user.id,
        csrfToken: 'x'.repeat(43),
        pendingTotpSecret: null,
        ip: null,
        userAgent: null,
        createdAt: at(2),
        lastSeenAt: at(2),
        expiresAt: at(1),
        revokedAt: null,
      });

      const retentionDays = loadConfig(testEnv.env).jobs.auditRetentionDays;
      expect(retentionDays).toBe(1827);
      const audit = (daysAgo: number) =>
        ds.getRepository(AuditEvent).insert({
          actorType: 'system',
          actorId: null,
          action: AUDIT_ACTIONS.keysRotated,
          merchantId: null,
          targetType: 'purge_probe',
          targetId: `purge-probe-${daysAgo}`,
          ip: null,
          detail: null,
          createdAt: at(daysAgo),
        });
      await audit(retentionDays + 1);
      await audit(retentionDays - 1);

      const result = await desk.get(HousekeepingService).run(now);

      const ids = (await ds.getRepository(OutboxJob).find()).map((row) => row.id);
      expect(ids).not.toContain(oldSent.id);
      expect(ids).toEqual(expect.arrayContaining([recentSent.id, pending.id]));
      expect(await ds.getRepository(Session).existsBy({ id: expired.id })).toBe(false);
      // The live session still works.
      await request(desk.getHttpServer())
        .get('/api/v1/auth/me')
        .set('cookie', live.cookie)
        .expect(200);
      const probes = await ds.getRepository(AuditEvent).find({
        where: { targetType: 'purge_probe' },
      });
      expect(probes.map((row) => row.targetId)).toEqual([`purge-probe-${retentionDays - 1}`]);
      expect(result).toMatchObject({ sentMails: 1, sessions: 1, auditEvents: 1 });
      const purge = await ds.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.auditPurged,
      });
      expect(purge).toMatchObject({
        actorType: 'system',
        merchantId: null,
        targetType: 'audit_events',
      });
      expect(JSON.parse(purge.detail as string)).toEqual({ deleted: 1, retentionDays });
      expect(
        await ds.getRepository(AuditEvent).countBy({ createdAt: LessThan(at(retentionDays)) }),
      ).toBe(0);
    });
  });

  describe('the instance log', () => {
    it('should hold no part of a shopper’s name, address, phone or order number after inquiries and failed mail', async () => {
      const lines: string[] = [];
      const capture: LoggerService = {
        log: (message: unknown) => lines.push(String(message)),
        error: (message: unknown, ...rest: unknown[]) =>
          lines.push([message, ...rest].map(String).join(' ')),
        warn: (message: unknown) => lines.push(String(message)),
        debug: (message: unknown) => lines.push(String(message)),
        verbose: (message: unknown) => lines.push(String(message)),
        fatal: (message: unknown) => lines.push(String(message)),
      };
      Logger.overrideLogger(capture);
      const people = [shopper(), shopper(), shopper()];
      try {
        for (const person of people) await submit(person).expect(201);
        // A broken JSON body and an unknown site: error paths of the intake.
        await request(intake.getHttpServer())
          .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
          .set('content-type', 'application/json')
          .send(`{"email":"${people[0].email}",`)
          .expect(400);
        const worker = desk.get(OutboxWorker);
        const result = await worker.drainOnce(new Date());
        expect(result.failed).toBeGreaterThan(0);
      } finally {
        Logger.overrideLogger(['fatal', 'error']);
      }
      const text = lines.join('\n');
      expect(text).toMatch(/outbox job \d+/);
      for (const person of people) {
        const [local, domain] = person.email.split('@');
        for (const part of [
          person.name,
          person.name.split(' ')[0],
          local,
          domain,
          person.orderNumber,
        ]) {
          expect({ part, logged: text.includes(part) }).toEqual({ part, logged: false });
        }
        const digits = person.phone.replace(/\D/g, '');
        expect(text.replace(/\D/g, ' ')).not.toContain(digits);
        expect(text).not.toContain(person.phone);
      }
    });
  });
});
