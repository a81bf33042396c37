import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { MoreThan } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { OutboxJob, OutboxService, OutboxWorker } from '@madoguchi/mail';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

/**
 * Issue 18 (observability): the admins' outbox page. It lists pending, failed and dead mail with
 * counts, never a body, a subject or a full address; retry and discard are admins-only, CSRF
 * protected, audited (actor, target, IP), and a mail that changed since the page was drawn is a
 * 409 that changes nothing.
 */

const RECIPIENT = 'yamada.taro.outbox@example.com';
const SUBJECT = '件名プローブ-7c21';
const BODY = '本文プローブ-7c21 お名前 山田太郎';
const CLIENT_IP = /^(::ffff:)?127\.0\.0\.1$/;

describe(`outbox admin page (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let desk: NestFastifyApplication;
  let admin: User;
  let adminSession: LoggedIn;
  let supervisorSession: LoggedIn;
  let agentSession: LoggedIn;

  const http = () => request(desk.getHttpServer());
  const jobs = () => testEnv.dataSource.getRepository(OutboxJob);

  /** A mail job as the app writes it, then put in the state a test needs. */
  async function mailJob(
    state: Partial<Pick<OutboxJob, 'status' | 'attempts' | 'lastError' | 'leaseExpiresAt'>> = {},
  ): Promise<OutboxJob> {
    const outbox = desk.get(OutboxService);
    const id = await testEnv.dataSource.transaction((manager) =>
      outbox.enqueueMail(manager, {
        to: RECIPIENT,
        fromName: 'テスト商店 窓口',
        subject: SUBJECT,
        text: BODY,
      }),
    );
    if (Object.keys(state).length > 0) {
      await jobs().update(
        { id },
        { ...state, leaseOwner: state.leaseExpiresAt ? 'elsewhere' : null },
      );
    }
    return jobs().findOneByOrFail({ id });
  }

  const post = (path: string, fields: Record<string, string>, session = adminSession) =>
    http()
      .post(path)
      .set('cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const formOf = (job: OutboxJob) => ({ status: job.status, attempts: String(job.attempts) });

  async function auditSince(id: number): Promise<AuditEvent[]> {
    return testEnv.dataSource
      .getRepository(AuditEvent)
      .find({ where: { id: MoreThan(id) }, order: { id: 'ASC' } });
  }

  async function lastAuditId(): Promise<number> {
    const [last] = await testEnv.dataSource
      .getRepository(AuditEvent)
      .find({ order: { id: 'DESC' }, take: 1 });
    return last?.id ?? 0;
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ SMTP_URL: smtp.url });
    desk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    adminSession = await loginAs(desk, admin.email);
    const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    supervisorSession = await loginAs(desk, supervisor.email);
    const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
    agentSession = await loginAs(desk, agent.email);
  });

  afterAll(async () => {
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  beforeEach(async () => {
    await jobs().clear();
  });

  it('should list counts and rows per state, with a masked recipient and no subject or body', async () => {
    await mailJob();
    await mailJob({ attempts: 2, lastError: '451 try again later [address]' });
    await mailJob({ status: 'dead', attempts: 12, lastError: '550 mailbox unavailable [address]' });
    await mailJob({ status: 'sent', attempts: 0 });

    const page = await http().get('/admin/outbox').set('cookie', adminSession.cookie).expect(200);

    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<html lang="ja"');
    const counts = Object.fromEntries(
      [...page.text.matchAll(/data-count="(\w+)">(\d+)</g)].map((match) => [match[1], match[2]]),
    );
    expect(counts).toEqual({ pending: '1', failed: '1', dead: '1' });
    expect(page.text).toContain('y***@example.com');
    expect(page.text).toContain('550 mailbox unavailable [address]');
    expect(page.text).not.toContain('yamada.taro');
    expect(page.text).not.toContain(SUBJECT);
    expect(page.text).not.toContain('本文プローブ');
    expect(page.text).toContain('name="_csrf"');
    // Failed and dead mails can be retried; every listed one can be discarded.
    expect(page.text.match(/\/retry"/g)).toHaveLength(2);
    // Discarding goes through a confirm step (issue 19): a link per mail, no one-click form.
    expect(page.text.match(/\/discard\/confirm"/g)).toHaveLength(3);
    expect(page.text).toContain('name="viewport"');
  });

  it('should refuse supervisors and agents (403), reading or writing', async () => {
    const dead = await mailJob({ status: 'dead', attempts: 12 });
    for (const session of [supervisorSession, agentSession]) {
      await http().get('/admin/outbox').set('cookie', session.cookie).expect(403);
      await post(`/admin/outbox/${dead.id}/retry`, formOf(dead), session).expect(403);
      await post(`/admin/outbox/${dead.id}/discard`, formOf(dead), session).expect(403);
    }
    expect(await jobs().findOneByOrFail({ id: dead.id })).toEqual(dead);
  });

  it('should retry a dead mail: due now, attempts afresh, audited, and then sent by the worker', async () => {
    const dead = await mailJob({ status: 'dead', attempts: 12, lastError: '550 no [address]' });
    const before = await lastAuditId();

    const response = await post(`/admin/outbox/${dead.id}/retry`, formOf(dead)).expect(303);

    expect(response.headers.location).toBe('/admin/outbox?done=retried');
    const retried = await jobs().findOneByOrFail({ id: dead.id });
    expect(retried).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null });
    expect(retried.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    const events = await auditSince(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: AUDIT_ACTIONS.outboxRetried,
      actorType: 'user',
      actorId: admin.id,
      merchantId: null,
      targetType: 'outbox_job',
      targetId: String(dead.id),
    });
    expect(events[0].ip).toMatch(CLIENT_IP);
    expect(events[0].detail).not.toContain('example.com');
    const notice = await http()
      .get(response.headers.location)
      .set('cookie', adminSession.cookie)
      .expect(200);
    expect(notice.text).toContain('メールを再送の対象にしました。');

    smtp.reset();
    const drained = await desk.get(OutboxWorker).drainOnce();
    expect(drained.sent).toBe(1);
    expect(smtp.messages.map((mail) => mail.envelopeTo)).toEqual([[RECIPIENT]]);
  });

  it('should ask before a discard: the confirm step names the mail (masked), changes nothing, and posts its state', async () => {
    const dead = await mailJob({ status: 'dead', attempts: 12 });
    const before = await lastAuditId();
    const page = await http()
      .get(`/admin/outbox/${dead.id}/discard/confirm`)
      .set('cookie', adminSession.cookie)
      .expect(200);
    expect(page.text).toContain(`メール #${dead.id} を破棄しますか`);
    expect(page.text).toContain('y***@example.com');
    expect(page.text).not.toContain('yamada.taro');
    expect(page.text).not.toContain(SUBJECT);
    expect(page.text).toContain(`<form method="post" action="/admin/outbox/${dead.id}/discard">`);
    expect(page.text).toContain('name="status" value="dead"');
    expect(page.text).toContain('name="attempts" value="12"');
    expect(await jobs().findOneByOrFail({ id: dead.id })).toEqual(dead);
    expect(await auditSince(before)).toEqual([]);
    for (const session of [supervisorSession, agentSession]) {
      await http()
        .get(`/admin/outbox/${dead.id}/discard/confirm`)
        .set('cookie', session.cookie)
        .expect(403);
    }
    await http()
      .get('/admin/outbox/987654/discard/confirm')
      .set('cookie', adminSession.cookie)
      .expect(404);
    // The confirmation's own form discards.
    await post(`/admin/outbox/${dead.id}/discard`, { status: 'dead', attempts: '12' }).expect(303);
    expect(await jobs().countBy({ id: dead.id })).toBe(0);
  });

  it('should discard a failed mail: deleted, never sent, audited', async () => {
    const failed = await mailJob({ attempts: 3, lastError: '451 later [address]' });
    const before = await lastAuditId();

    await post(`/admin/outbox/${failed.id}/discard`, formOf(failed)).expect(303);

    expect(await jobs().findOneBy({ id: failed.id })).toBeNull();
    const events = await auditSince(before);
    expect(events.map((event) => [event.action, event.actorId, event.targetId])).toEqual([
      [AUDIT_ACTIONS.outboxDiscarded, admin.id, String(failed.id)],
    ]);
    expect(events[0].ip).toMatch(CLIENT_IP);
    smtp.reset();
    expect((await desk.get(OutboxWorker).drainOnce()).sent).toBe(0);
    expect(smtp.messages).toEqual([]);
    const page = await http().get('/admin/outbox').set('cookie', adminSession.cookie).expect(200);
    expect(page.text).not.toContain(`data-job-id="${failed.id}"`);
  });

  it('should answer 409 and change nothing when the mail changed since the page was drawn', async () => {
    const failed = await mailJob({ attempts: 2 });
    const sent = await mailJob({ status: 'sent' });
    const sending = await mailJob({
      attempts: 1,
      leaseExpiresAt: new Date(Date.now() + 60_000),
    });
    const pending = await mailJob();
    const before = await lastAuditId();
    const snapshot = await jobs().find({ order: { id: 'ASC' } });

    // Another attempt failed meanwhile (attempts moved on).
    await post(`/admin/outbox/${failed.id}/retry`, { status: 'pending', attempts: '1' }).expect(
      409,
    );
    await post(`/admin/outbox/${failed.id}/discard`, { status: 'pending', attempts: '1' }).expect(
      409,
    );
    // Sent meanwhile.
    await post(`/admin/outbox/${sent.id}/discard`, { status: 'pending', attempts: '0' }).expect(
      409,
    );
    // A worker holds it right now.
    await post(`/admin/outbox/${sending.id}/discard`, formOf(sending)).expect(409);
    // Nothing to retry in a mail not yet tried.
    await post(`/admin/outbox/${pending.id}/retry`, formOf(pending)).expect(409);

    expect(await jobs().find({ order: { id: 'ASC' } })).toEqual(snapshot);
    expect(await auditSince(before)).toEqual([]);
  });

  it('should answer 404 for an unknown mail, 400 for a malformed form, 403 without CSRF; nothing written', async () => {
    const dead = await mailJob({ status: 'dead', attempts: 12 });
    const before = await lastAuditId();

    await post('/admin/outbox/99999999/retry', { status: 'dead', attempts: '12' }).expect(404);
    await post('/admin/outbox/abc/retry', { status: 'dead', attempts: '12' }).expect(404);
    await post(`/admin/outbox/${dead.id}/retry`, { status: 'dead' }).expect(400);
    await post(`/admin/outbox/${dead.id}/retry`, { status: 'sent', attempts: '12' }).expect(400);
    await http()
      .post(`/admin/outbox/${dead.id}/retry`)
      .set('cookie', adminSession.cookie)
      .type('form')
      .send(formOf(dead))
      .expect(403);

    expect(await jobs().findOneByOrFail({ id: dead.id })).toEqual(dead);
    expect(await auditSince(before)).toEqual([]);
  });
});
