import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ImapFlow } from 'imapflow';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { WORKER_INDEX_VARIABLE } from '@madoguchi/common';
import { AppConfig, loadConfig } from '@madoguchi/config';
import {
  IMAP_FAILED_KEYWORD,
  IMAP_MAX_FAILED_ROUNDS,
  IMAP_PROCESSED_MAILBOX,
  IMAP_REJECTED_KEYWORD,
  InboundImapPoller,
  InboundMailService,
  type InboundOutcome,
  InboundTemporaryError,
} from '@madoguchi/inbound-mail';
import { Message, ReplyAddressService, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import {
  PRIVATE_DOVECOT_MISSING,
  type PrivateDovecot,
  privateDovecotRuns,
  startPrivateDovecot,
} from '../support/private-dovecot';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const DOMAIN = 'inbound.madoguchi.test';
const MAX_BYTES = 64 * 1024;

/**
 * IMAP polling against a real Dovecot (Debian dovecot-imapd) the test starts on a private port
 * with its own config, as the fault tests start a private mariadbd. Skipped with that reason
 * where Dovecot is not installed; under CI=true it runs and fails instead (.ci/run installs it).
 */
const describeImap = privateDovecotRuns() ? describe : describe.skip;
const title = privateDovecotRuns()
  ? `inbound mail polled over IMAP from a private Dovecot (${TEST_DB})`
  : `inbound mail over IMAP: skipped, ${PRIVATE_DOVECOT_MISSING}`;

/** The test's own IMAP session, as the mail provider's delivery and a person's client would be. */
async function openMailbox(dovecot: PrivateDovecot): Promise<ImapFlow> {
  const mailbox = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  await mailbox.connect();
  return mailbox;
}

describeImap(title, () => {
  let dovecot: PrivateDovecot;
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let agent: LoggedIn;
  let mailbox: ImapFlow;
  let poller: InboundImapPoller;

  beforeAll(async () => {
    dovecot = await startPrivateDovecot();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      INBOUND_MAIL_DOMAIN: DOMAIN,
      INBOUND_MAIL_MAX_BYTES: String(MAX_BYTES),
    });
    // Polled by hand (tick) in the tests: the interval is long, the first round runs at start.
    intake = await startIntakeApp(testEnv, {
      INBOUND_IMAP_URL: dovecot.url,
      INBOUND_IMAP_POLL_INTERVAL_MS: '3600000',
    });
    poller = intake.get(InboundImapPoller);
    desk = await startDeskApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    const user = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    agent = await loginAs(desk, user.email);
    mailbox = await openMailbox(dovecot);
  });

  afterAll(async () => {
    await mailbox?.logout().catch(() => undefined);
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
    await dovecot?.destroy();
  });

  /** A ticket from the web form and the reply address its mail carries. */
  async function ticketWithReplyAddress(): Promise<{
    ticket: Ticket;
    email: string;
    replyTo: string;
  }> {
    const email = `imap-${Date.now()}@example.jp`;
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, email })
      .expect(201);
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: (response.body as { reference: string }).reference });
    const replyTo = await intake
      .get(ReplyAddressService)
      .addressFor(intake.get(DataSource).manager, ticket, 'requester');
    return { ticket, email, replyTo };
  }

  function rawMail(from: string, to: string, subject: string, text: string): string {
    return [
      `From: ${from}`,
      `To: ${to}`,
      `Subject: ${subject}`,
      `Message-ID: <imap-${Date.now()}-${Math.random().toString(16).slice(2)}@example.jp>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
      '',
    ].join('\r\n');
  }

  /** APPENDs into a mailbox as a provider's delivery would; returns the new UID. */
  async function deliver(raw: string, path = 'INBOX'): Promise<number> {
    const appended = await mailbox.append(path, raw);
    if (!appended || !appended.uid) throw new Error('APPEND gave no UID');
    return appended.uid;
  }

  async function flagsOf(uid: number, path = 'INBOX'): Promise<Set<string> | null> {
    const lock = await mailbox.getMailboxLock(path);
    try {
      // NOOP first: another session's expunge (the poller's move) shows here only then.
      await mailbox.noop();
      const message = await mailbox.fetchOne(
        String(uid),
        { uid: true, flags: true },
        { uid: true },
      );
      return message ? (message.flags ?? new Set()) : null;
    } finally {
      lock.release();
    }
  }

  async function customerBodies(reference: string): Promise<string[]> {
    const response = await request(desk.getHttpServer())
      .get(`/api/v1/tickets/${reference}`)
      .set('cookie', agent.cookie)
      .expect(200);
    return (response.body as { messages: { kind: string; body: string }[] }).messages
      .filter((m) => m.kind === 'customer')
      .map((m) => m.body);
  }

  it('should run in the intake app when INBOUND_IMAP_URL is set', () => {
    expect(poller.isRunning).toBe(true);
  });

  it('should run in the first worker only when the intake runs as several (WORKERS)', async () => {
    const config = intake.get(AppConfig);
    const inbound = intake.get(InboundMailService);
    const states: boolean[] = [];
    for (const index of ['0', '1']) {
      process.env[WORKER_INDEX_VARIABLE] = index;
      const worker = new InboundImapPoller(config, inbound);
      try {
        await worker.onApplicationBootstrap();
        states.push(worker.isRunning);
      } finally {
        await worker.beforeApplicationShutdown();
        delete process.env[WORKER_INDEX_VARIABLE];
      }
    }
    expect(states).toEqual([true, false]);
  });

  it('should import a reply in the mailbox as a customer message and flag it \\Seen', async () => {
    const { ticket, email, replyTo } = await ticketWithReplyAddress();
    const uid = await deliver(
      rawMail(email, replyTo, `Re: [${ticket.reference}]`, 'IMAP経由の返信です。IMAP-REPLY-3141'),
    );
    expect(await flagsOf(uid)).not.toContain('\\Seen');
    await poller.tick();
    expect(await customerBodies(ticket.reference)).toEqual(
      expect.arrayContaining([expect.stringContaining('IMAP-REPLY-3141')]),
    );
    expect(await flagsOf(uid)).toContain('\\Seen');
    // Polled again: nothing is imported twice.
    await poller.tick();
    const bodies = await customerBodies(ticket.reference);
    expect(bodies.filter((body) => body.includes('IMAP-REPLY-3141'))).toHaveLength(1);
  });

  it('should leave a message unread while the database is down and import it once it is back', async () => {
    const { ticket, email, replyTo } = await ticketWithReplyAddress();
    const uid = await deliver(
      rawMail(email, replyTo, `Re: [${ticket.reference}]`, 'DB停止中の返信 IMAP-LATER-2718'),
    );
    const dataSource = intake.get(DataSource);
    const messagesBefore = await testEnv.dataSource.getRepository(Message).count();
    await dataSource.destroy();
    try {
      await poller.tick();
      expect(await flagsOf(uid)).not.toContain('\\Seen');
    } finally {
      await dataSource.initialize();
    }
    expect(await testEnv.dataSource.getRepository(Message).count()).toBe(messagesBefore);
    await poller.tick();
    expect(await flagsOf(uid)).toContain('\\Seen');
    expect(await customerBodies(ticket.reference)).toEqual(
      expect.arrayContaining([expect.stringContaining('IMAP-LATER-2718')]),
    );
  });

  it('should flag a message refused for good with \\Seen and $MadoguchiRejected, never fetching it again', async () => {
    const before = await testEnv.dataSource.getRepository(Message).count();
    const uid = await deliver(
      rawMail('big@example.jp', `${tenant.site.slug}@${DOMAIN}`, 'big', 'z'.repeat(MAX_BYTES + 1)),
    );
    await poller.tick();
    const flags = await flagsOf(uid);
    expect(flags).toContain('\\Seen');
    expect(flags).toContain(IMAP_REJECTED_KEYWORD);
    expect(await testEnv.dataSource.getRepository(Message).count()).toBe(before);
  });

  it('should move an imported message into "Processed" when the mailbox has one', async () => {
    await mailbox.mailboxCreate(IMAP_PROCESSED_MAILBOX);
    const { ticket, email, replyTo } = await ticketWithReplyAddress();
    const uid = await deliver(
      rawMail(email, replyTo, `Re: [${ticket.reference}]`, 'IMAP-MOVED-1618'),
    );
    await poller.tick();
    expect(await flagsOf(uid)).toBeNull();
    const status = await mailbox.status(IMAP_PROCESSED_MAILBOX, { messages: true, unseen: true });
    expect(status).toMatchObject({ messages: 1, unseen: 0 });
    expect(await customerBodies(ticket.reference)).toEqual(
      expect.arrayContaining([expect.stringContaining('IMAP-MOVED-1618')]),
    );
  });
});

/**
 * The poller alone against Dovecot, with a stand-in for InboundMailService whose answer each
 * test sets: which flag for which outcome, whatever the rest of the pipeline does.
 */
describeImap(`the IMAP poller's flags for each outcome (private Dovecot)`, () => {
  let dovecot: PrivateDovecot;
  let mailbox: ImapFlow;
  let poller: InboundImapPoller;
  let answer: () => Promise<InboundOutcome>;
  const ingested: string[] = [];

  beforeAll(async () => {
    dovecot = await startPrivateDovecot();
    const config = loadConfig({
      NODE_ENV: 'test',
      INBOUND_IMAP_URL: dovecot.url,
      INBOUND_MAIL_MAX_BYTES: String(MAX_BYTES),
    });
    const inbound = {
      ingest: (raw: Buffer) => {
        ingested.push(raw.toString('utf8'));
        return answer();
      },
    } as unknown as InboundMailService;
    poller = new InboundImapPoller(config, inbound);
    mailbox = await openMailbox(dovecot);
  });

  afterAll(async () => {
    await poller?.beforeApplicationShutdown();
    await mailbox?.logout().catch(() => undefined);
    await dovecot?.destroy();
  });

  beforeEach(() => {
    ingested.length = 0;
    answer = () => Promise.resolve({ kind: 'reply', ticketId: 1 });
  });

  async function append(marker: string): Promise<number> {
    const appended = await mailbox.append(
      'INBOX',
      `From: a@example.jp\r\nTo: b@${DOMAIN}\r\nSubject: ${marker}\r\n\r\n${marker}\r\n`,
    );
    if (!appended || !appended.uid) throw new Error('APPEND gave no UID');
    return appended.uid;
  }

  async function flags(uid: number): Promise<string[] | null> {
    const lock = await mailbox.getMailboxLock('INBOX');
    try {
      // NOOP first: another session's expunge (the poller's move) shows here only then.
      await mailbox.noop();
      const message = await mailbox.fetchOne(String(uid), { flags: true }, { uid: true });
      return message ? [...(message.flags ?? [])].filter((flag) => flag !== '\\Recent') : null;
    } finally {
      lock.release();
    }
  }

  it('should flag \\Seen only after ingest resolved, oldest first', async () => {
    const first = await append('FIRST');
    const second = await append('SECOND');
    await expect(poller.pollOnce()).resolves.toMatchObject({ imported: 2 });
    expect(ingested.map((raw) => /Subject: (\w+)/.exec(raw)?.[1])).toEqual(['FIRST', 'SECOND']);
    expect(await flags(first)).toEqual(['\\Seen']);
    expect(await flags(second)).toEqual(['\\Seen']);
    await expect(poller.pollOnce()).resolves.toMatchObject({ imported: 0 });
  });

  it('should leave every message unseen when the database is down, and stop the round', async () => {
    answer = () => Promise.reject(new InboundTemporaryError());
    const first = await append('DOWN1');
    const second = await append('DOWN2');
    await expect(poller.pollOnce()).resolves.toMatchObject({ deferred: 1, imported: 0 });
    expect(ingested).toHaveLength(1);
    expect(await flags(first)).toEqual([]);
    expect(await flags(second)).toEqual([]);
    answer = () => Promise.resolve({ kind: 'reply' });
    await expect(poller.pollOnce()).resolves.toMatchObject({ imported: 2 });
  });

  it('should flag a refused message $MadoguchiRejected, and an oversized one without downloading it', async () => {
    answer = () => Promise.resolve({ kind: 'rejected', reason: 'no_sender' });
    const refused = await append('REFUSED');
    const oversized = await mailbox.append(
      'INBOX',
      `Subject: big\r\n\r\n${'z'.repeat(MAX_BYTES)}\r\n`,
    );
    await expect(poller.pollOnce()).resolves.toMatchObject({ rejected: 2 });
    expect(ingested).toHaveLength(1);
    expect(await flags(refused)).toEqual(['\\Seen', IMAP_REJECTED_KEYWORD]);
    expect(await flags((oversized as { uid: number }).uid)).toEqual([
      '\\Seen',
      IMAP_REJECTED_KEYWORD,
    ]);
  });

  it('should retry a message that fails unexpectedly, then set it aside with $MadoguchiFailed', async () => {
    answer = () => Promise.reject(new TypeError('a bug'));
    const uid = await append('POISON');
    for (let round = 1; round < IMAP_MAX_FAILED_ROUNDS; round++) {
      await expect(poller.pollOnce()).resolves.toMatchObject({ failed: 1 });
      expect(await flags(uid)).toEqual([]);
    }
    await expect(poller.pollOnce()).resolves.toMatchObject({ failed: 1 });
    expect(await flags(uid)).toEqual(['\\Seen', IMAP_FAILED_KEYWORD]);
    await expect(poller.pollOnce()).resolves.toMatchObject({ failed: 0 });
  });

  it('should move imported messages to "Processed" once that mailbox exists', async () => {
    await mailbox.mailboxCreate(IMAP_PROCESSED_MAILBOX);
    const uid = await append('MOVED');
    await expect(poller.pollOnce()).resolves.toMatchObject({ imported: 1 });
    expect(await flags(uid)).toBeNull();
    await expect(
      mailbox.status(IMAP_PROCESSED_MAILBOX, { messages: true, unseen: true }),
    ).resolves.toMatchObject({ messages: 1, unseen: 0 });
  });
});
