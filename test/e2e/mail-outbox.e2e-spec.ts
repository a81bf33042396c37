import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClockModule } from '@madoguchi/common';
import { ConfigModule, loadConfig } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { resolveDataSourceOptions } from '@madoguchi/schema';
import {
  MailModule,
  OUTBOX_MAX_ATTEMPTS,
  OutboxJob,
  OutboxService,
  OutboxWorker,
  type OutgoingMail,
} from '@madoguchi/mail';
import { type SmtpTestServer, startSmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

interface MailApp {
  module: TestingModule;
  outbox: OutboxService;
  worker: OutboxWorker;
  dataSource: DataSource;
}

const FROM_NAME = 'サンプル商店 お客様窓口';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe(`mail outbox (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let app: MailApp;
  const extraApps: MailApp[] = [];

  /** One process's worth of the mail module, on the test database. */
  async function startMailApp(env: Record<string, string>): Promise<MailApp> {
    const config = loadConfig(env);
    const module = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(),
        CryptoModule,
        TypeOrmModule.forRoot(await resolveDataSourceOptions(config)),
        MailModule.forRoot({ worker: true }),
      ],
    }).compile();
    await module.init();
    return {
      module,
      outbox: module.get(OutboxService),
      worker: module.get(OutboxWorker),
      dataSource: module.get(DataSource),
    };
  }

  async function startExtraApp(env: Record<string, string>): Promise<MailApp> {
    const extra = await startMailApp(env);
    extraApps.push(extra);
    return extra;
  }

  function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
    return {
      to: 'hanako.yamada@example.com',
      fromName: FROM_NAME,
      subject: '【サンプル商店】お問い合わせを受け付けました',
      text: 'お問い合わせありがとうございます。受付番号は A-1234 です。',
      ...overrides,
    };
  }

  async function enqueue(target: MailApp, ...mails: OutgoingMail[]): Promise<number[]> {
    return target.dataSource.transaction(async (manager) => {
      const ids: number[] = [];
      for (const each of mails) ids.push(await target.outbox.enqueueMail(manager, each));
      return ids;
    });
  }

  const jobs = () => testEnv.dataSource.getRepository(OutboxJob);
  const job = (id: number) => jobs().findOneByOrFail({ id });

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    smtp = await startSmtpTestServer();
    app = await startMailApp({ ...testEnv.env, SMTP_URL: smtp.url });
  });

  beforeEach(async () => {
    await jobs().clear();
    smtp.reset();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    for (const extra of extraApps.splice(0)) await extra.module.close();
  });

  afterAll(async () => {
    await app?.module.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should send a mail enqueued in a committed transaction once, from the sender name', async () => {
    const [id] = await enqueue(
      app,
      mail({ html: '<p>受付番号 <b>A-1234</b></p>', replyTo: 'support@sample-shop.example.jp' }),
    );

    await expect(app.worker.drainOnce()).resolves.toEqual({ sent: 1, failed: 0, dead: 0, held: 0 });
    await expect(app.worker.drainOnce()).resolves.toEqual({ sent: 0, failed: 0, dead: 0, held: 0 });

    expect(smtp.messages).toHaveLength(1);
    const [received] = smtp.messages;
    expect(received.envelopeFrom).toBe('no-reply@madoguchi.test');
    expect(received.envelopeTo).toEqual(['hanako.yamada@example.com']);
    expect(received.headers.get('from')).toBe(`${FROM_NAME} <no-reply@madoguchi.test>`);
    expect(received.headers.get('to')).toBe('hanako.yamada@example.com');
    expect(received.headers.get('reply-to')).toBe('support@sample-shop.example.jp');
    // Issue 14: a Message-ID of ours, given at enqueue time, even to a mail about no ticket.
    expect(received.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@inbound\.madoguchi\.test>$/);
    expect(received.subject).toBe('【サンプル商店】お問い合わせを受け付けました');
    expect(received.text).toBe('お問い合わせありがとうございます。受付番号は A-1234 です。');
    expect(received.html).toBe('<p>受付番号 <b>A-1234</b></p>');
    // The name travels MIME-encoded, never as raw UTF-8 in the header.
    expect(received.raw).toMatch(/^From: =\?UTF-8\?/im);

    const row = await job(id);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 0,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('should never send a mail enqueued in a rolled-back transaction', async () => {
    await expect(
      app.dataSource.transaction(async (manager) => {
        await app.outbox.enqueueMail(manager, mail());
        throw new Error('inquiry failed');
      }),
    ).rejects.toThrow('inquiry failed');

    await expect(jobs().count()).resolves.toBe(0);
    await expect(app.worker.drainOnce()).resolves.toMatchObject({ sent: 0 });
    expect(smtp.messages).toHaveLength(0);
  });

  it('should refuse to enqueue outside a transaction', async () => {
    await expect(app.outbox.enqueueMail(app.dataSource.manager, mail())).rejects.toThrow(
      /transaction/,
    );
    await expect(jobs().count()).resolves.toBe(0);
  });

  it('should store no plaintext address, subject or body in the outbox', async () => {
    const [id] = await enqueue(
      app,
      mail({ to: 'secret.person@example.net', text: '住所は東京都千代田区一番町です。' }),
    );

    const rows = (await testEnv.dataSource.query('SELECT * FROM outbox_jobs WHERE id = ?', [
      id,
    ])) as {
      payload: string;
    }[];
    expect(rows).toHaveLength(1);
    const dump = JSON.stringify(rows[0]);
    for (const secret of [
      'secret.person',
      'example.net',
      '千代田区',
      'お問い合わせを受け付けました',
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(rows[0].payload).toMatch(/^enc1:t1:/);
  });

  it('should keep a refused mail pending, record why without the address, and send it later', async () => {
    const [id] = await enqueue(app, mail());
    smtp.rejectNext = 1;
    const now = new Date();

    await expect(app.worker.drainOnce(now)).resolves.toEqual({
      sent: 0,
      failed: 1,
      dead: 0,
      held: 0,
    });

    const failed = await job(id);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(failed.lastError).toContain('451');
    expect(failed.lastError).not.toContain('hanako.yamada');
    // 30 s ± 20 %, less the second the datetime column may drop.
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime() + 22_000);
    expect(failed.nextAttemptAt.getTime()).toBeLessThanOrEqual(now.getTime() + 36_000);

    // Not due yet: nothing happens.
    await expect(app.worker.drainOnce(now)).resolves.toMatchObject({ sent: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);

    await expect(app.worker.drainOnce(new Date(now.getTime() + 2 * MINUTE))).resolves.toMatchObject(
      {
        sent: 1,
      },
    );
    expect(smtp.messages).toHaveLength(1);
    await expect(job(id)).resolves.toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('should keep mail while the SMTP server is down and send it once it is back', async () => {
    let flaky = await startSmtpTestServer();
    const worker = (await startExtraApp({ ...testEnv.env, SMTP_URL: flaky.url })).worker;
    const [id] = await enqueue(app, mail());
    await flaky.stop();
    const now = new Date();

    try {
      await expect(worker.drainOnce(now)).resolves.toMatchObject({ sent: 0, failed: 1 });
      const failed = await job(id);
      expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
      expect(failed.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
      expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());

      flaky = await startSmtpTestServer(flaky.port);
      await expect(worker.drainOnce(new Date(now.getTime() + 2 * MINUTE))).resolves.toMatchObject({
        sent: 1,
      });
      expect(flaky.messages.map((received) => received.subject)).toEqual([mail().subject]);
      await expect(job(id)).resolves.toMatchObject({ status: 'sent' });
    } finally {
      await flaky.stop();
    }
  });

  it(`should mark a mail dead after ${OUTBOX_MAX_ATTEMPTS} permanent refusals`, async () => {
    const refusing = await startSmtpTestServer();
    refusing.rejectCode = 550;
    refusing.rejectNext = OUTBOX_MAX_ATTEMPTS + 5;
    try {
      const worker = (await startExtraApp({ ...testEnv.env, SMTP_URL: refusing.url })).worker;
      const [id] = await enqueue(app, mail());
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

      const results = [];
      let now = Date.now();
      for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
        results.push(await worker.drainOnce(new Date(now)));
        now += 2 * HOUR; // past the longest backoff (1 h + 20 %)
      }

      expect(results.slice(0, -1).every((result) => result.failed === 1)).toBe(true);
      expect(results.at(-1)).toEqual({ sent: 0, failed: 0, dead: 1, held: 0 });
      await expect(job(id)).resolves.toMatchObject({
        status: 'dead',
        attempts: OUTBOX_MAX_ATTEMPTS,
        leaseOwner: null,
      });
      expect(errors).toHaveBeenCalledWith(expect.stringContaining(`outbox job ${id} is dead`));
      await expect(worker.drainOnce(new Date(now + 10 * HOUR))).resolves.toMatchObject({
        dead: 0,
        failed: 0,
      });
    } finally {
      await refusing.stop();
    }
  });

  it('should keep retrying, never killing, a mail while the SMTP server is unreachable', async () => {
    const down = await startSmtpTestServer();
    await down.stop();
    const worker = (await startExtraApp({ ...testEnv.env, SMTP_URL: down.url })).worker;
    const [id] = await enqueue(app, mail());
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let now = Date.now();
    for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS + 3; attempt++) {
      await expect(worker.drainOnce(new Date(now))).resolves.toMatchObject({ failed: 1, dead: 0 });
      now += 2 * HOUR;
    }
    await expect(job(id)).resolves.toMatchObject({
      status: 'pending',
      attempts: OUTBOX_MAX_ATTEMPTS + 3,
    });
  });

  it('should send each job exactly once when two workers drain concurrently', async () => {
    const other = await startExtraApp({ ...testEnv.env, SMTP_URL: smtp.url });
    const subjects = Array.from({ length: 20 }, (_, i) => `受付のお知らせ ${i + 1}`);
    await enqueue(app, ...subjects.map((subject) => mail({ subject })));
    const now = new Date();

    const [first, second] = await Promise.all([
      app.worker.drainOnce(now),
      other.worker.drainOnce(now),
    ]);

    expect(first.sent + second.sent).toBe(20);
    expect(first.failed + second.failed).toBe(0);
    expect(smtp.messages).toHaveLength(20);
    expect(new Set(smtp.messages.map((received) => received.subject))).toEqual(new Set(subjects));
    await expect(jobs().countBy({ status: 'sent' })).resolves.toBe(20);
  });

  it('should keep mail pending and log it once, by id only, when no SMTP URL is configured', async () => {
    const worker = (await startExtraApp({ ...testEnv.env })).worker;
    const [id] = await enqueue(app, mail());
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    await expect(worker.drainOnce()).resolves.toEqual({ sent: 0, failed: 0, dead: 0, held: 1 });
    await expect(worker.drainOnce()).resolves.toEqual({ sent: 0, failed: 0, dead: 0, held: 1 });

    const logged = warnings.mock.calls.map(([message]) => String(message));
    expect(logged.filter((message) => message.includes(`outbox job ${id} `))).toEqual([
      `outbox job ${id} kept, SMTP_URL is not set: a mail`,
    ]);
    // No part of the recipient's address, nor the subject (it may name the shopper).
    expect(logged.join('\n')).not.toContain('hanako.yamada');
    expect(logged.join('\n')).not.toContain('example.com');
    expect(logged.join('\n')).not.toContain(mail().subject);
    await expect(job(id)).resolves.toMatchObject({
      status: 'pending',
      attempts: 0,
      leaseOwner: null,
      lastError: null,
      sentAt: null,
    });
    expect(smtp.messages).toHaveLength(0);
  });

  it('should finish the mail in flight and release its leases on shutdown', async () => {
    const leaving = await startMailApp({ ...testEnv.env, SMTP_URL: smtp.url });
    const [inFlightId, leasedId] = await enqueue(leaving, mail(), mail({ subject: 'leased' }));
    // A lease this worker holds without sending (as if its process had claimed and paused).
    await jobs().update(
      { id: leasedId },
      { leaseOwner: leaving.worker.id, leaseExpiresAt: new Date(Date.now() + MINUTE) },
    );
    smtp.delayNextMs = 300;

    const draining = leaving.worker.drainOnce();
    await waitUntil(async () => (await job(inFlightId)).leaseOwner === leaving.worker.id);
    await leaving.module.close();

    await expect(draining).resolves.toMatchObject({ sent: 1 });
    await expect(job(inFlightId)).resolves.toMatchObject({ status: 'sent', leaseOwner: null });
    await expect(job(leasedId)).resolves.toMatchObject({
      status: 'pending',
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(smtp.messages.map((received) => received.subject)).toEqual([mail().subject]);
  });

  it('should send from the poll timer when the worker is enabled', async () => {
    const polling = await startExtraApp({
      ...testEnv.env,
      SMTP_URL: smtp.url,
      OUTBOX_WORKER: 'on',
      OUTBOX_POLL_INTERVAL_MS: '50',
    });
    const [id] = await enqueue(polling, mail());

    await smtp.waitFor(1);
    await waitUntil(async () => (await job(id)).status === 'sent');
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
