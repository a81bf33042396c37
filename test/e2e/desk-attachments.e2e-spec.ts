import { Logger } from '@nestjs/common';
import { connect, type AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { FieldCipher, buildCryptoKeys } from '@madoguchi/crypto';
import { OUTBOX_MAX_ATTEMPTS, OutboxJob, OutboxWorker, type OutgoingMail } from '@madoguchi/mail';
import { ATTACHMENT_TEXTS, Attachment, Message, Ticket } from '@madoguchi/tickets';
import { ATTACHMENT_PART_TEXTS } from '../../apps/desk/src/web/parts/attachments.texts';
import { HTML_AS_PNG, minimalPdf } from '../support/attachment-fixtures';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const BOUNDARY = '----desk-attachments-boundary';
const HOUR = 3_600_000;

/**
 * Issue 14, the staff and merchant side of attachments: the files of a ticket's messages on the
 * console and portal pages, downloaded through the caller's scope (another merchant's is 404)
 * and audited; the agent's reply and note with files (multipart, `_csrf` first, checked before
 * any file is read), a reply's files sent with its mail, a note's kept internal; a reply whose
 * mail did not arrive said so on the reply.
 */
describe(`the desk's attachments (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let port: number;
  let cipher: FieldCipher;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent: LoggedIn;
  let agentUserId: number;
  let viewerA: LoggedIn;
  let viewerAUserId: number;
  /** A's ticket, opened through the form with the shopper's PDF. */
  let refA: string;
  let shopperPdf: Buffer;
  let fileA: number;
  /** B's ticket and its file: never reachable from A's users. */
  let refB: string;
  let fileB: number;

  const desktop = () => request(desk.getHttpServer());

  /** A download's bytes, whatever its type. */
  const download = (path: string, session: LoggedIn) =>
    desktop()
      .get(path)
      .set('Cookie', session.cookie)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  /** An inquiry through the branded form (multipart) with one file; its reference. */
  const inquiryWithFile = async (tenant: TestTenant, file: Buffer, filename: string) => {
    const fields: Record<string, string> = {
      name: VALID_INQUIRY.name,
      email: `shopper-${tenant.site.slug}@example.jp`,
      phone: VALID_INQUIRY.phone,
      orderNumber: VALID_INQUIRY.orderNumber,
      category: 'payment',
      message: '身に覚えのない請求です。明細を添付します。',
      consent: 'on',
      website: '',
    };
    let post = request(intake.getHttpServer()).post(`/s/${tenant.site.slug}`);
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    const response = await post
      .attach('attachments', file, { filename, contentType: 'application/pdf' })
      .expect(303);
    const location = new URL(response.headers.location as string, 'http://intake.test');
    return location.searchParams.get('ref') ?? '';
  };

  const ticketOf = (reference: string) =>
    testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });

  const attachmentsOf = async (reference: string) =>
    testEnv.dataSource.manager.find(Attachment, {
      where: { ticketId: (await ticketOf(reference)).id },
      order: { id: 'ASC' },
    });

  const counts = async () => ({
    messages: await testEnv.dataSource.manager.count(Message),
    attachments: await testEnv.dataSource.manager.count(Attachment),
    jobs: await testEnv.dataSource.manager.count(OutboxJob),
  });

  /** The reply or note form as a browser posts it: `_csrf` first, the files last. */
  const postWithFiles = async (
    path: string,
    fields: Record<string, string>,
    files: { filename: string; bytes: Buffer; contentType: string }[],
    session: LoggedIn = agent,
  ) => {
    const ticket = await ticketOf(refA);
    let post = desktop()
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .field('_csrf', session.csrfToken)
      .field('version', String(ticket.version));
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    for (const file of files) {
      post = post.attach('attachments', file.bytes, {
        filename: file.filename,
        contentType: file.contentType,
      });
    }
    return post;
  };

  const auditRows = (action: string, targetId: number) =>
    testEnv.dataSource.manager.find(AuditEvent, {
      where: { action, targetType: 'attachment', targetId: String(targetId) },
    });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv, { SMTP_URL: smtp.url });
    await desk.listen(0, '127.0.0.1');
    port = (desk.getHttpServer().address() as AddressInfo).port;
    intake = await startIntakeApp(testEnv);
    cipher = new FieldCipher(
      buildCryptoKeys(testEnv.env.FIELD_ENCRYPTION_KEYS, testEnv.env.BLIND_INDEX_KEY),
    );
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    const agentUser = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '佐藤 一郎',
    });
    agentUserId = agentUser.id;
    agent = await loginAs(desk, agentUser.email);
    const viewerUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    viewerAUserId = viewerUser.id;
    viewerA = await loginAs(desk, viewerUser.email);

    shopperPdf = minimalPdf('shopper-statement-A');
    refA = await inquiryWithFile(tenantA, shopperPdf, '明細.pdf');
    [{ id: fileA }] = await attachmentsOf(refA);
    refB = await inquiryWithFile(tenantB, minimalPdf('momiji-secret-B'), 'secret-b.pdf');
    [{ id: fileB }] = await attachmentsOf(refB);
    // The confirmations out of the way: later drains deliver only what a test sends.
    await desk.get(OutboxWorker).drainOnce();
    smtp.reset();
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
    await smtp?.stop();
  });

  describe('the console ticket page', () => {
    it('should list each message’s files with name, type, size and a download link', async () => {
      const page = await desktop()
        .get(`/tickets/${refA}`)
        .set('Cookie', agent.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      expect(page.text).toMatch(
        new RegExp(`href="/tickets/${refA}/attachments/${fileA}"\\s+data-attachment-id="${fileA}"`),
      );
      expect(page.text).toContain('明細.pdf');
      expect(page.text).toContain(`PDF・${shopperPdf.length} B`);
      // The reply and the note take files: multipart, `_csrf` first.
      expect(page.text).toMatch(
        /<form[^>]+action="\/tickets\/[^"]+\/replies"[^>]+enctype="multipart\/form-data"\s*>\s*<input type="hidden" name="_csrf"/,
      );
      expect(page.text).toMatch(/<input[^>]+id="f-reply-attachments"[^>]+type="file"[^>]+multiple/);
      expect(page.text).toMatch(/<input[^>]+id="f-note-attachments"[^>]+type="file"/);
    });

    it('should hand the file out byte-identical, as a download only, and audit it', async () => {
      const response = await download(`/tickets/${refA}/attachments/${fileA}`, agent).expect(200);
      expect(Buffer.compare(response.body as Buffer, shopperPdf)).toBe(0);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(/^attachment; /);
      expect(response.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('明細.pdf')}`,
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain('sandbox');
      const [event] = await auditRows('attachment.viewed', fileA);
      expect(event).toMatchObject({
        actorType: 'user',
        actorId: agentUserId,
        merchantId: tenantA.merchant.id,
      });
      expect(event.ip).toMatch(/127\.0\.0\.1/);
    });

    it('should answer 404 for another merchant’s file, by its own ticket or by another, and audit nothing', async () => {
      await desktop()
        .get(`/tickets/${refB}/attachments/${fileB}`)
        .set('Cookie', agent.cookie)
        .expect(404);
      await desktop()
        .get(`/tickets/${refA}/attachments/${fileB}`)
        .set('Cookie', agent.cookie)
        .expect(404);
      await desktop()
        .get(`/tickets/${refA}/attachments/9999999`)
        .set('Cookie', agent.cookie)
        .expect(404);
      expect(await auditRows('attachment.viewed', fileB)).toHaveLength(0);
    });
  });

  describe('the portal case page', () => {
    it('should list the files of the messages the merchant sees and hand them out, audited', async () => {
      const page = await desktop()
        .get(`/portal/cases/${refA}`)
        .set('Cookie', viewerA.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      const link = `/portal/cases/${refA}/attachments/${fileA}`;
      expect(page.text).toMatch(new RegExp(`href="${link}"\\s+data-attachment-id="${fileA}"`));
      const response = await download(link, viewerA).expect(200);
      expect(Buffer.compare(response.body as Buffer, shopperPdf)).toBe(0);
      expect(response.headers['content-disposition']).toMatch(/^attachment; /);
      const events = await auditRows('attachment.viewed', fileA);
      expect(events.some((event) => event.actorId === viewerAUserId)).toBe(true);
    });

    it('should answer 404 for another merchant’s file, in the portal and through the console route', async () => {
      await desktop()
        .get(`/portal/cases/${refB}/attachments/${fileB}`)
        .set('Cookie', viewerA.cookie)
        .expect(404);
      await desktop()
        .get(`/portal/cases/${refA}/attachments/${fileB}`)
        .set('Cookie', viewerA.cookie)
        .expect(404);
      await desktop()
        .get(`/tickets/${refA}/attachments/${fileB}`)
        .set('Cookie', viewerA.cookie)
        .expect(404);
      expect(await auditRows('attachment.viewed', fileB)).toHaveLength(0);
    });
  });

  describe('the agent’s reply and note with files', () => {
    it('should send a reply’s PDF with its mail and keep it on the reply', async () => {
      const notice = minimalPdf('merchant-notice-2026');
      const response = await postWithFiles(
        `/tickets/${refA}/replies`,
        { body: '加盟店からのお知らせを添付します。', nextStatus: 'pending_customer' },
        [{ filename: 'お知らせ.pdf', bytes: notice, contentType: 'application/pdf' }],
      );
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/tickets/${refA}?done=replied`);

      const ticket = await ticketOf(refA);
      const reply = await testEnv.dataSource.manager.findOneOrFail(Message, {
        where: { ticketId: ticket.id, kind: 'reply' },
        order: { id: 'DESC' },
      });
      const [stored] = await testEnv.dataSource.manager.find(Attachment, {
        where: { messageId: reply.id },
      });
      expect(stored).toMatchObject({ contentType: 'application/pdf', size: notice.length });

      const [job] = await testEnv.dataSource.manager.find(OutboxJob, {
        where: { ticketId: ticket.id },
        order: { id: 'DESC' },
        take: 1,
      });
      const mail = JSON.parse(cipher.decrypt(job.payload)) as OutgoingMail;
      expect(mail).toMatchObject({ messageId: reply.id, attachmentIds: [stored.id] });

      await desk.get(OutboxWorker).drainOnce();
      const [received] = await smtp.waitFor(1);
      const parsed = await simpleParser(received.raw);
      expect(parsed.attachments).toHaveLength(1);
      const [sent] = parsed.attachments;
      expect(sent.contentType).toBe('application/pdf');
      expect(sent.filename).toBe('お知らせ.pdf');
      expect(Buffer.compare(sent.content, notice)).toBe(0);
      smtp.reset();

      // The agent sees the file under the reply; so does the merchant.
      const page = await desktop()
        .get(`/tickets/${refA}`)
        .set('Cookie', agent.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      expect(page.text).toContain(`data-attachment-id="${stored.id}"`);
    });

    it('should keep a note’s file internal: stored, never mailed, not in the portal', async () => {
      const before = await counts();
      const secret = minimalPdf('internal-only-memo');
      const response = await postWithFiles(
        `/tickets/${refA}/notes`,
        { body: '加盟店の内部資料（お客様には見せない）' },
        [{ filename: 'internal.pdf', bytes: secret, contentType: 'application/pdf' }],
      );
      expect(response.status).toBe(303);
      const ticket = await ticketOf(refA);
      const note = await testEnv.dataSource.manager.findOneOrFail(Message, {
        where: { ticketId: ticket.id, kind: 'note' },
        order: { id: 'DESC' },
      });
      const [stored] = await testEnv.dataSource.manager.find(Attachment, {
        where: { messageId: note.id },
      });
      expect(stored.size).toBe(secret.length);
      const after = await counts();
      expect(after.jobs).toBe(before.jobs);
      expect(after.attachments).toBe(before.attachments + 1);

      const portal = await desktop()
        .get(`/portal/cases/${refA}`)
        .set('Cookie', viewerA.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      expect(portal.text).not.toContain(`data-attachment-id="${stored.id}"`);
      await desktop()
        .get(`/portal/cases/${refA}/attachments/${stored.id}`)
        .set('Cookie', viewerA.cookie)
        .expect(404);
      const console = await download(`/tickets/${refA}/attachments/${stored.id}`, agent).expect(
        200,
      );
      expect(Buffer.compare(console.body as Buffer, secret)).toBe(0);
    });

    it('should refuse a .png that is really HTML: 400, the error beside the file input, the draft kept, nothing stored', async () => {
      const before = await counts();
      const draft = 'ご確認ください。下書きは残ります。';
      const response = await postWithFiles(`/tickets/${refA}/replies`, { body: draft }, [
        { filename: 'screenshot.png', bytes: HTML_AS_PNG, contentType: 'image/png' },
      ]);
      expect(response.status).toBe(400);
      expect(response.text).toMatch(
        /id="f-reply-attachments"[^>]*\/>\s*<p class="field__error" id="f-reply-attachments-error">/,
      );
      expect(response.text).toContain(ATTACHMENT_TEXTS.typeNotAllowed('screenshot.png'));
      expect(response.text).toContain(draft);
      expect(response.text).toContain(ATTACHMENT_PART_TEXTS.chooseAgain);
      expect(await counts()).toEqual(before);
    });

    it('should refuse six files at once with the limit, nothing stored', async () => {
      const before = await counts();
      const six = Array.from({ length: 6 }, (_, index) => ({
        filename: `doc-${index}.pdf`,
        bytes: minimalPdf(`six-${index}`),
        contentType: 'application/pdf',
      }));
      const response = await postWithFiles(`/tickets/${refA}/notes`, { body: 'メモ' }, six);
      expect(response.status).toBe(400);
      expect(response.text).toContain(ATTACHMENT_TEXTS.tooMany);
      expect(await counts()).toEqual(before);
    });

    it('should refuse a file over 5 MB with the limit beside the input (400), nothing stored', async () => {
      const before = await counts();
      const big = Buffer.concat([minimalPdf('big'), Buffer.alloc(5 * 1024 * 1024, 0x20)]);
      const response = await postWithFiles(`/tickets/${refA}/replies`, { body: '大きな添付' }, [
        { filename: 'big.pdf', bytes: big, contentType: 'application/pdf' },
      ]);
      expect(response.status).toBe(400);
      expect(response.text).toContain(ATTACHMENT_TEXTS.tooLarge('big.pdf'));
      expect(response.text).toContain('大きな添付');
      expect(await counts()).toEqual(before);
    });

    it('should still refuse a stale version (409) and an answer no merchant approved (409), storing nothing', async () => {
      const before = await counts();
      const file = {
        filename: 'notice.pdf',
        bytes: minimalPdf('stale'),
        contentType: 'application/pdf',
      };
      const ticket = await ticketOf(refA);
      const stale = await desktop()
        .post(`/tickets/${refA}/replies`)
        .set('Cookie', agent.cookie)
        .set('Accept', 'text/html')
        .field('_csrf', agent.csrfToken)
        .field('version', String(ticket.version - 1))
        .field('body', '古い版からの返信')
        .attach('attachments', file.bytes, {
          filename: file.filename,
          contentType: file.contentType,
        });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('古い版からの返信');
      const unapproved = await postWithFiles(
        `/tickets/${refA}/replies`,
        { body: '未承認の回答', answerVersionId: '987654' },
        [file],
      );
      expect(unapproved.status).toBe(409);
      expect(await counts()).toEqual(before);
    });

    it('should refuse a merchant user’s upload before reading it: its own ticket 403, another’s 404', async () => {
      const before = await counts();
      const own = await postWithoutFinishing(port, `/tickets/${refA}/replies`, viewerA.cookie);
      expect(own.status).toBe(403);
      const foreign = await postWithoutFinishing(port, `/tickets/${refB}/notes`, viewerA.cookie);
      expect(foreign.status).toBe(404);
      expect(await counts()).toEqual(before);
    });

    it('should refuse a multipart reply without its _csrf part (403) before reading the file', async () => {
      const before = await counts();
      const answer = await postWithoutFinishing(port, `/tickets/${refA}/replies`, agent.cookie);
      expect(answer.status).toBe(403);
      expect(answer.bodyBytesSent).toBeLessThan(answer.declared);
      expect(await counts()).toEqual(before);
    });
  });

  describe('a reply whose mail did not arrive', () => {
    it('should say 「配信できませんでした」 on the reply, with the mail server’s reason', async () => {
      const ticket = await ticketOf(refA);
      await desktop()
        .post(`/tickets/${refA}/replies`)
        .set('Cookie', agent.cookie)
        .set('Accept', 'text/html')
        .type('form')
        .send({
          _csrf: agent.csrfToken,
          version: String(ticket.version),
          body: '届かない返信',
          nextStatus: 'pending_customer',
        })
        .expect(303);
      smtp.rejectCode = 550;
      smtp.rejectNext = OUTBOX_MAX_ATTEMPTS;
      const quiet = [
        jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
        jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      ];
      try {
        let now = Date.now();
        for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
          await desk.get(OutboxWorker).drainOnce(new Date(now));
          now += 2 * HOUR;
        }
      } finally {
        quiet.forEach((spy) => spy.mockRestore());
        smtp.rejectCode = 451;
      }
      const reply = await testEnv.dataSource.manager.findOneOrFail(Message, {
        where: { ticketId: ticket.id, kind: 'reply' },
        order: { id: 'DESC' },
      });
      expect(reply.deliveryState).toBe('failed');

      const page = await desktop()
        .get(`/tickets/${refA}`)
        .set('Cookie', agent.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      const item = new RegExp(
        `<li class="msg msg--reply" id="message-${reply.id}">[\\s\\S]*?</li>`,
      ).exec(page.text)?.[0];
      expect(item).toContain(ATTACHMENT_PART_TEXTS.deliveryFailed);
      expect(item).toContain('550');
      expect(item).not.toContain('@example.jp');
    });
  });
});

interface EarlyAnswer {
  status: number | null;
  bodyBytesSent: number;
  declared: number;
}

/**
 * Sends a 5 MB multipart reply whose first part is a file (no `_csrf` before it), but only its
 * first 64 KB, then waits. A desk that checks before reading answers now; one that reads the
 * body first waits for the rest, which never comes (status null). As pre-auth-body.e2e-spec.ts.
 */
async function postWithoutFinishing(
  port: number,
  path: string,
  cookie: string,
): Promise<EarlyAnswer> {
  const declared = 5 * 1024 * 1024;
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  socket.write(
    [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
      `Content-Length: ${declared}`,
      'Accept: text/html',
      `Cookie: ${cookie}`,
    ].join('\r\n') + '\r\n\r\n',
  );
  const sent = 64 * 1024;
  const first = Buffer.alloc(sent, 'a');
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename="x.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n%PDF-1.4\n',
    'utf8',
  ).copy(first);
  socket.write(first);
  const head = await new Promise<string | null>((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve(null), 8000);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        resolve(data);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data === '' ? null : data);
    });
  });
  socket.destroy();
  const status = head === null ? null : Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
  return { status, bodyBytesSent: sent, declared };
}
