import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { type CompactDiff, expandDiff } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { AnswerApproval, AnswerTemplateVersion, IncidentService } from '@madoguchi/incidents';
import { OutboxJob, OutboxService, OutboxWorker } from '@madoguchi/mail';
import { BulkSendService } from '@madoguchi/incident-response';
import { Message, Ticket, TicketScopeService, type TicketDetail } from '@madoguchi/tickets';
import { dumpEveryTable } from '../support/database-dump';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { type SmtpTestServer, startSmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const V1 =
  '{{name}} 様\n{{site}}でございます。受付番号 {{reference}} のお問い合わせについて、現在調査中です。';
const V2 =
  '{{name}} 様\n{{site}}でございます。受付番号 {{reference}} のお問い合わせについて、調査の結果、お客様の情報は流出しておりません。';
/** What an agent writes into an edited reply: distinctive, so a dump search can fail. */
const EDIT_MARKER = '編集マーカー_ＱＷＥ追記';
const REQUESTER = '来歴 検査子';

describe(`approved answers: provenance, approval with confidence, corrections (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let shopA: TestTenant;
  let shopB: TestTenant;
  let shopC: TestTenant;
  let admin: LoggedIn;
  let agent: LoggedIn;
  let adminA: LoggedIn;
  let viewerA: LoggedIn;
  let adminB: LoggedIn;
  let adminUser: User;
  let adminAUser: User;
  let adminA2User: User;
  let viewerAUser: User;
  let adminBUser: User;
  let adminCUser: User;
  let incidentId: number;
  let templateId: number;
  let v1Id: number;
  let v2Id: number;

  const ds = () => testEnv.dataSource.manager;
  const get = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');
  const postForm = (path: string, fields: Record<string, string>, session: LoggedIn) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });
  const apiGet = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'application/json');
  const apiPost = (path: string, body: object, session: LoggedIn) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'application/json')
      .set('x-csrf-token', session.csrfToken)
      .send(body);

  /** Outbox rows queued after `afterId`, opened: who gets which subject. */
  const queuedMails = async (afterId: number) => {
    const jobs = await ds()
      .getRepository(OutboxJob)
      .createQueryBuilder('job')
      .where('job.id > :afterId', { afterId })
      .orderBy('job.id', 'ASC')
      .getMany();
    return jobs.map((job) => desk.get(OutboxService).readMail(job));
  };
  const lastOutboxId = async () =>
    (
      await ds()
        .getRepository(OutboxJob)
        .find({ order: { id: 'DESC' }, take: 1 })
    )[0]?.id ?? 0;

  async function inquiry(
    tenant: TestTenant,
    email: string,
  ): Promise<{ reference: string; statusPath: string }> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({
        name: REQUESTER,
        email,
        category: 'other',
        message: '流出について教えてください。',
        consent: true,
      })
      .expect(201);
    return {
      reference: response.body.reference as string,
      statusPath: new URL(response.body.statusUrl as string).pathname,
    };
  }

  /** The approved answer filled in for the ticket, as the agent's page inserts it. */
  async function filledAnswer(reference: string, versionId: number): Promise<string> {
    const response = await apiGet(`/api/v1/tickets/${reference}/approved-answers`, agent).expect(
      200,
    );
    const answers = response.body as { versionId: number; filledBody: string }[];
    const answer = answers.find((candidate) => candidate.versionId === versionId);
    if (!answer) throw new Error(`version ${versionId} not offered: ${JSON.stringify(answers)}`);
    return answer.filledBody;
  }

  const ticketVersion = async (reference: string) =>
    (await ds().findOneByOrFail(Ticket, { reference })).version;

  async function htmlReply(reference: string, body: string, answerVersionId: number) {
    await postForm(
      `/tickets/${reference}/replies`,
      {
        body,
        version: String(await ticketVersion(reference)),
        answerVersionId: String(answerVersionId),
      },
      agent,
    ).expect(303);
  }

  async function apiReply(reference: string, body: string, answerVersionId: number) {
    await apiPost(
      `/api/v1/tickets/${reference}/replies`,
      { body, version: await ticketVersion(reference), answerVersionId },
      agent,
    ).expect(201);
  }

  const lastReply = async (reference: string) => {
    const ticket = await ds().findOneByOrFail(Ticket, { reference });
    return ds().findOneOrFail(Message, {
      where: { ticketId: ticket.id, kind: 'reply' },
      order: { id: 'DESC' },
    });
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    smtp = await startSmtpTestServer();
    desk = await startDeskApp(testEnv, { SMTP_URL: smtp.url });
    intake = await startIntakeApp(testEnv);
    shopA = await createTestTenant(testEnv.dataSource, { merchantName: 'あかね商店' });
    shopB = await createTestTenant(testEnv.dataSource, { merchantName: 'ぶなの木工房' });
    shopC = await createTestTenant(testEnv.dataSource, { merchantName: 'ちどり書店' });
    const user = (options: Parameters<typeof createTestUser>[1]) =>
      createTestUser(testEnv.dataSource, options);
    adminUser = await user({ role: 'admin' });
    const agentUser = await user({
      role: 'agent',
      displayName: '窓口 一郎',
      queueIds: [shopA.queue.id, shopB.queue.id],
    });
    adminAUser = await user({
      role: 'merchant_admin',
      merchantId: shopA.merchant.id,
      displayName: '承認 太郎',
    });
    adminA2User = await user({ role: 'merchant_admin', merchantId: shopA.merchant.id });
    viewerAUser = await user({ role: 'merchant_viewer', merchantId: shopA.merchant.id });
    adminBUser = await user({ role: 'merchant_admin', merchantId: shopB.merchant.id });
    adminCUser = await user({ role: 'merchant_admin', merchantId: shopC.merchant.id });
    // A disabled merchant admin gets no mail.
    const disabledA = await user({ role: 'merchant_admin', merchantId: shopA.merchant.id });
    await ds().update('users', { id: disabledA.id }, { disabledAt: new Date() });
    admin = await loginAs(desk, adminUser.email);
    agent = await loginAs(desk, agentUser.email);
    adminA = await loginAs(desk, adminAUser.email);
    viewerA = await loginAs(desk, viewerAUser.email);
    adminB = await loginAs(desk, adminBUser.email);
    const incident = await desk.get(IncidentService).create(
      {
        title: '2026年11月 決済画面の改ざん',
        description: '決済画面が改ざんされました。',
        leakedItems: '氏名、メールアドレス',
        occurredFrom: '2026-10-01',
        occurredTo: '2026-11-10',
        merchants: [
          { merchantId: shopA.merchant.id, affected: true, noticeDate: '2026-11-20' },
          { merchantId: shopB.merchant.id, affected: true, noticeDate: null },
          { merchantId: shopC.merchant.id, affected: false },
        ],
      },
      { userId: adminUser.id, ip: '192.0.2.1' },
    );
    incidentId = incident.id;
  }, 180_000);

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('a version awaiting approval mails the merchant admins of the affected merchants', () => {
    it('should queue, in the same transaction as the version, one mail per active merchant_admin of A and B (not viewers, not C, not disabled)', async () => {
      const before = await lastOutboxId();
      await postForm(
        `/admin/incidents/${incidentId}/templates`,
        { title: '流出の有無について', purpose: 'answer', body: V1 },
        admin,
      ).expect(303);
      const version = await ds().findOneOrFail(AnswerTemplateVersion, {
        where: { body: V1 },
      });
      v1Id = version.id;
      templateId = version.templateId;
      const mails = await queuedMails(before);
      expect(mails.map((mail) => mail.to).sort()).toEqual(
        [adminAUser.email, adminA2User.email, adminBUser.email].sort(),
      );
      expect(mails.map((mail) => mail.to)).not.toContain(viewerAUser.email);
      expect(mails.map((mail) => mail.to)).not.toContain(adminCUser.email);
      for (const mail of mails) {
        expect(mail.subject).toBe('【承認のお願い】回答「流出の有無について」第1版');
        expect(mail.text).toContain(`/portal/incidents/${incidentId}#version-${v1Id}`);
        // Titles and the link, never the answer text.
        expect(mail.text).not.toContain('現在調査中');
      }
      const audit = await ds().findOneOrFail(AuditEvent, {
        where: { action: 'answer_template.created' },
        order: { id: 'DESC' },
      });
      expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({ approvalRequests: 3 });

      // Delivered through the outbox worker over real (loopback) SMTP.
      smtp.reset();
      await desk.get(OutboxWorker).drainOnce();
      const delivered = await smtp.waitFor(3);
      expect(delivered.map((mail) => mail.subject)).toEqual(
        Array(3).fill('【承認のお願い】回答「流出の有無について」第1版'),
      );
    });

    it('should mail again for an edit that writes a new version, and not for a title-only change', async () => {
      let before = await lastOutboxId();
      await postForm(
        `/admin/incidents/templates/${templateId}`,
        { title: '流出の有無について', body: V2 },
        admin,
      ).expect(303);
      v2Id = (await ds().findOneByOrFail(AnswerTemplateVersion, { templateId, version: 2 })).id;
      const mails = await queuedMails(before);
      expect(mails).toHaveLength(3);
      expect(new Set(mails.map((mail) => mail.subject))).toEqual(
        new Set(['【承認のお願い】回答「流出の有無について」第2版']),
      );

      before = await lastOutboxId();
      await postForm(
        `/admin/incidents/templates/${templateId}`,
        { title: '流出の有無についてのご回答', body: V2 },
        admin,
      ).expect(303);
      expect(await queuedMails(before)).toEqual([]);
      await desk.get(OutboxWorker).drainOnce();
    });
  });

  describe('the portal approval page', () => {
    it('should show the character diff to the previous version, a marked sample preview, and approve buttons on undecided versions only', async () => {
      const page = await get(`/portal/incidents/${incidentId}`, adminA).expect(200);
      // v2 against v1: the changed words, by character, in <ins>/<del>.
      expect(page.text).toContain('第1版からの変更');
      expect(page.text).toMatch(/<del>.*現在.*<\/del>/s);
      expect(page.text).toMatch(/<ins>.*流出しておりません.*<\/ins>/s);
      // Sample values, clearly marked, with the merchant's own site name.
      expect(page.text).toContain('差し込み例を見る（サンプル）');
      expect(page.text).toContain('山田 太郎 様');
      expect(page.text).toContain(`${shopA.site.displayName}でございます。`);
      // Nothing approved yet: no in-use marker, an approve button (its confirm step) on both.
      expect(page.text).not.toContain('data-in-use');
      expect(page.text.match(/\/decision\/confirm"/g)).toHaveLength(2);
    });

    it('should mark the approved version in use, show the approver by name and time, and drop its approve button', async () => {
      await postForm(
        `/portal/incidents/versions/${v1Id}/decision`,
        { decision: 'approved' },
        adminA,
      ).expect(303);
      const page = await get(`/portal/incidents/${incidentId}`, adminA).expect(200);
      const v1Block = blockOf(page.text, v1Id);
      const v2Block = blockOf(page.text, v2Id);
      expect(v1Block).toContain('data-in-use');
      expect(v1Block).toContain('現在使用中');
      expect(v1Block).toContain('承認 太郎');
      expect(v1Block).toMatch(/\d{4}\/\d{2}\/\d{2}|\d{4}年/);
      expect(v1Block).not.toContain('/decision/confirm"');
      expect(v1Block).toContain('data-already-approved');
      // Requesting changes (withdrawing) stays possible.
      expect(v1Block).toContain('value="changes_requested"');
      expect(v2Block).not.toContain('data-in-use');
      expect(v2Block).toContain(`/versions/${v2Id}/decision/confirm"`);
      // B decided nothing: B's page has no in-use marker.
      const pageB = await get(`/portal/incidents/${incidentId}`, adminB).expect(200);
      expect(pageB.text).not.toContain('data-in-use');
      expect(pageB.text).not.toContain('承認 太郎');
    });

    it('should confirm an approval first: the text, what it replaces, and nothing decided until posted (issue 19)', async () => {
      const confirm = await get(
        `/portal/incidents/versions/${v2Id}/decision/confirm`,
        adminA,
      ).expect(200);
      expect(confirm.text).toContain('第2版を承認しますか');
      expect(confirm.text).toContain('流出しておりません');
      expect(confirm.text).toContain('これまで使われていた第1版');
      expect(confirm.text).toContain(
        `<form method="post" action="/portal/incidents/versions/${v2Id}/decision">`,
      );
      expect(confirm.text).toContain('name="decision" value="approved"');
      expect(
        await ds().countBy(AnswerApproval, { versionId: v2Id, merchantId: shopA.merchant.id }),
      ).toBe(0);
      // Viewers may not approve; a version A approved already has nothing to confirm.
      await get(`/portal/incidents/versions/${v2Id}/decision/confirm`, viewerA).expect(403);
      await get(`/portal/incidents/versions/${v1Id}/decision/confirm`, adminA).expect(404);
    });
  });

  describe('provenance of replies, corrections and the status page', () => {
    let t1: { reference: string; statusPath: string };
    let t2: { reference: string; statusPath: string };
    let t3: { reference: string; statusPath: string };
    let editedMessageId: number;

    it('should record a reply with version 1 (correction comes later)', async () => {
      t3 = await inquiry(shopA, 'correction.target@example.jp');
      await apiReply(t3.reference, await filledAnswer(t3.reference, v1Id), v1Id);
      const reply = await lastReply(t3.reference);
      expect(reply).toMatchObject({ answerVersionId: v1Id, answerProvenance: 'verbatim' });
      await postForm(
        `/portal/incidents/versions/${v2Id}/decision`,
        { decision: 'approved' },
        adminA,
      ).expect(303);
    });

    it('should record verbatim when the text equals the filled approved text up to whitespace (HTML form and API)', async () => {
      t1 = await inquiry(shopA, 'provenance.one@example.jp');
      t2 = await inquiry(shopA, 'provenance.two@example.jp');
      const filled1 = await filledAnswer(t1.reference, v2Id);
      expect(filled1).toContain(`${REQUESTER} 様`);
      // CRLF line endings, doubled and full-width spaces, surrounding blank lines.
      const reflowed = `\n  ${filled1.replace(/\n/g, '\r\n').replace('様', '様\u3000\u3000')}  \n`;
      await htmlReply(t1.reference, reflowed, v2Id);
      expect(await lastReply(t1.reference)).toMatchObject({
        answerVersionId: v2Id,
        answerProvenance: 'verbatim',
        answerDiff: null,
      });
      await apiReply(t2.reference, await filledAnswer(t2.reference, v2Id), v2Id);
      expect(await lastReply(t2.reference)).toMatchObject({ answerProvenance: 'verbatim' });
    });

    it('should record "based on version N, edited" with the diff, encrypted, for a changed text (HTML form and API)', async () => {
      const filled = await filledAnswer(t1.reference, v2Id);
      const edited = filled.replace('流出しておりません。', `流出しておりません。${EDIT_MARKER}`);
      await htmlReply(t1.reference, edited, v2Id);
      const htmlEdited = await lastReply(t1.reference);
      expect(htmlEdited).toMatchObject({ answerVersionId: v2Id, answerProvenance: 'edited' });

      const replaced = '全く別の文面でお答えします。';
      await apiReply(t2.reference, replaced, v2Id);
      const apiEdited = await lastReply(t2.reference);
      expect(apiEdited.answerProvenance).toBe('edited');
      editedMessageId = htmlEdited.id;

      // Stored sealed, like the body; opened, it rebuilds the change.
      const cipher = desk.get(FieldCipher);
      expect(htmlEdited.answerDiff).toMatch(/^enc1:/);
      expect(htmlEdited.answerDiff).not.toContain(EDIT_MARKER);
      const ops = expandDiff(
        JSON.parse(cipher.decrypt(htmlEdited.answerDiff as string)) as CompactDiff,
        cipher.decrypt(htmlEdited.body as string),
      );
      expect(ops.filter((op) => op.kind !== 'equal')).toEqual([
        { kind: 'insert', text: EDIT_MARKER },
      ]);
      const apiOps = expandDiff(
        JSON.parse(cipher.decrypt(apiEdited.answerDiff as string)) as CompactDiff,
        cipher.decrypt(apiEdited.body as string),
      );
      // Equal and deleted runs give the filled approved text, equal and inserted the text sent.
      const join = (kinds: string[]) =>
        apiOps
          .filter((op) => kinds.includes(op.kind))
          .map((op) => op.text)
          .join('');
      expect(join(['equal', 'delete'])).toBe(await filledAnswer(t2.reference, v2Id));
      expect(join(['equal', 'insert'])).toBe(replaced);
      expect(join(['delete'])).toContain(`${REQUESTER} 様`);

      // The audit event says which.
      const audit = await ds().findOneOrFail(AuditEvent, {
        where: { action: 'ticket.replied', targetId: t2.reference },
        order: { id: 'DESC' },
      });
      expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({
        answerVersionId: v2Id,
        answerProvenance: 'edited',
      });
    });

    it('should keep the diff out of plaintext in a dump of every table', async () => {
      const dump = await dumpEveryTable(testEnv.dataSource);
      const hits = dump.filter((value) => value.text.includes(EDIT_MARKER));
      expect(hits).toEqual([]);
    });

    it('should give messages[].answerVersion and answerProvenance in the API and label them on the agent page', async () => {
      const detail = (await apiGet(`/api/v1/tickets/${t1.reference}`, agent).expect(200))
        .body as TicketDetail;
      const replies = detail.messages.filter((message) => message.kind === 'reply');
      expect(
        replies.map((reply) => [
          reply.answerVersionId,
          reply.answerVersion,
          reply.answerProvenance,
        ]),
      ).toEqual([
        [v2Id, 2, 'verbatim'],
        [v2Id, 2, 'edited'],
      ]);
      const page = await get(`/tickets/${t1.reference}`, agent).expect(200);
      expect(page.text).toContain('承認済み回答 v2（そのまま）');
      expect(page.text).toContain('承認済み回答 v2（編集あり）');
    });

    it('should show the merchant, per version, which replies went out verbatim and which edited', async () => {
      const page = await get(`/portal/incidents/${incidentId}`, viewerA).expect(200);
      const v2Block = blockOf(page.text, v2Id);
      expect(v2Block).toContain('そのまま 2件・編集あり 2件');
      expect(v2Block).toContain(t1.reference);
      expect(v2Block).toContain(t2.reference);
      expect(v2Block).toContain(`/portal/incidents/replies/${editedMessageId}/diff`);
      const v1Block = blockOf(page.text, v1Id);
      expect(v1Block).toContain('そのまま 1件・編集あり 0件');
      expect(v1Block).toContain(t3.reference);
      // B sees none of A's replies.
      const pageB = await get(`/portal/incidents/${incidentId}`, adminB).expect(200);
      expect(pageB.text).not.toContain(t1.reference);
      expect(pageB.text).toContain('この版を使った返信はまだありません。');
    });

    it('should show the diff of an edited reply on demand, as an audited view; 404 for a verbatim one, another merchant or an unknown id', async () => {
      const viewsBefore = await ds().countBy(AuditEvent, { action: 'ticket.viewed' });
      const page = await get(`/portal/incidents/replies/${editedMessageId}/diff`, viewerA).expect(
        200,
      );
      expect(page.text).toContain(t1.reference);
      expect(page.text).toMatch(new RegExp(`<ins>.*${EDIT_MARKER}.*</ins>`, 's'));
      const view = await ds().findOneOrFail(AuditEvent, {
        where: { action: 'ticket.viewed', targetId: t1.reference },
        order: { id: 'DESC' },
      });
      expect(view.actorId).toBe(viewerAUser.id);
      expect(JSON.parse(view.detail ?? '{}')).toMatchObject({
        view: 'answer_diff',
        messageId: editedMessageId,
      });
      expect(await ds().countBy(AuditEvent, { action: 'ticket.viewed' })).toBe(viewsBefore + 1);

      const verbatim = await ds().findOneOrFail(Message, {
        where: { answerProvenance: 'verbatim', answerVersionId: v2Id },
        order: { id: 'ASC' },
      });
      await get(`/portal/incidents/replies/${verbatim.id}/diff`, viewerA).expect(404);
      const other = await get(`/portal/incidents/replies/${editedMessageId}/diff`, adminB).expect(
        404,
      );
      expect(other.text).not.toContain(t1.reference);
      await get('/portal/incidents/replies/987654/diff', viewerA).expect(404);
      // The refusals recorded no view.
      expect(await ds().countBy(AuditEvent, { action: 'ticket.viewed' })).toBe(viewsBefore + 1);
    });

    it('should send a correction (outdated receivers) with 【訂正】 first in the subject, verbatim, and mark the replaced answer on the status page', async () => {
      const bulk = desk.get(BulkSendService);
      const scope = await desk.get(TicketScopeService).forUser(adminUser);
      const selection = {
        merchantId: shopA.merchant.id,
        templateId,
        selection: 'outdated_receivers' as const,
      };
      const preview = await bulk.preview(scope, selection);
      expect(preview.count).toBe(1);
      const replaced = await lastReply(t3.reference);
      await desk.get(OutboxWorker).drainOnce();
      smtp.reset();
      await bulk.start(
        scope,
        { ...selection, expectedCount: preview.count },
        { userId: adminUser.id, ip: '192.0.2.1' },
      );
      for (let i = 0; i < 20 && (await bulk.processBatch(5)) > 0; i += 1);
      const correction = await lastReply(t3.reference);
      expect(correction.id).not.toBe(replaced.id);
      expect(correction).toMatchObject({
        answerVersionId: v2Id,
        answerProvenance: 'verbatim',
        correctsMessageId: replaced.id,
      });
      await desk.get(OutboxWorker).drainOnce();
      const [mail] = await smtp.waitFor(1);
      expect(mail.envelopeTo).toEqual(['correction.target@example.jp']);
      expect(mail.subject.startsWith('【訂正】')).toBe(true);
      expect(mail.text).toContain('以下のとおり訂正いたします');

      const status = await request(intake.getHttpServer()).get(t3.statusPath).expect(200);
      expect(status.text).toContain('この回答は訂正されました（下の訂正をご覧ください）');
      expect(status.text).toContain('【訂正】');
      // The note sits on the older reply, the mark on the newer one, in that order.
      const noteAt = status.text.indexOf('この回答は訂正されました');
      expect(noteAt).toBeLessThan(status.text.indexOf('現在調査中'));
      expect(status.text.indexOf('現在調査中')).toBeLessThan(
        status.text.indexOf('msg__correction'),
      );
      // An ordinary reply (not a correction) has neither.
      const plain = await request(intake.getHttpServer()).get(t2.statusPath).expect(200);
      expect(plain.text).not.toContain('この回答は訂正されました');
      expect(plain.text).not.toContain('msg__correction');

      // The agent page marks it too.
      const page = await get(`/tickets/${t3.reference}`, agent).expect(200);
      expect(page.text).toContain('msg__answer--correction');
    });

    it('should leave a mail that is not a correction without 【訂正】', async () => {
      const t4 = await inquiry(shopA, 'plain.reply@example.jp');
      await desk.get(OutboxWorker).drainOnce();
      smtp.reset();
      await apiReply(t4.reference, await filledAnswer(t4.reference, v2Id), v2Id);
      await desk.get(OutboxWorker).drainOnce();
      const [mail] = await smtp.waitFor(1);
      expect(mail.subject.startsWith('【')).toBe(true);
      expect(mail.subject).not.toContain('【訂正】');
    });
  });
});

/** The HTML of one version's <article> on the portal page. */
function blockOf(page: string, versionId: number): string {
  const start = page.indexOf(`id="version-${versionId}"`);
  if (start < 0) throw new Error(`version ${versionId} not on the page`);
  const end = page.indexOf('</article>', start);
  return page.slice(start, end);
}
