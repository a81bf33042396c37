import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { buildCryptoKeys, FieldCipher } from '@madoguchi/crypto';
import { OutboxJob, type OutgoingMail } from '@madoguchi/mail';
import { ATTACHMENT_LIMITS, Attachment, Message, Ticket } from '@madoguchi/tickets';
import { INTAKE_ATTACHMENT_TEXTS } from '../../apps/intake/src/attachments/attachments.texts';
import { HTML_AS_PNG, minimalPdf, plainPng, utf8Text } from '../support/attachment-fixtures';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const FORM = {
  name: VALID_INQUIRY.name,
  email: VALID_INQUIRY.email,
  phone: VALID_INQUIRY.phone,
  orderNumber: VALID_INQUIRY.orderNumber,
  category: 'suspicious_contact',
  message: '不審なSMSが届きました。スクリーンショットを添付します。',
  consent: 'on',
  website: '',
};

interface UploadFile {
  filename: string;
  bytes: Buffer;
  contentType?: string;
}

const MIB = 1024 * 1024;

describe(`the shopper's attachments: form, thank-you and status page (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  let cipher: FieldCipher;

  const http = () => request(app.getHttpServer());
  const ticketCount = () => testEnv.dataSource.manager.count(Ticket);
  const attachmentCount = () => testEnv.dataSource.manager.count(Attachment);

  /** The branded form as a browser posts it with `enctype="multipart/form-data"`. */
  const postForm = (
    files: UploadFile[],
    fields: Record<string, string> = FORM,
    server = app.getHttpServer(),
  ) => {
    let post = request(server).post(`/s/${tenant.site.slug}`);
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    for (const file of files) {
      post = post.attach('attachments', file.bytes, {
        filename: file.filename,
        contentType: file.contentType ?? 'application/octet-stream',
      });
    }
    return post;
  };

  /** The status link of the ticket's confirmation mail (the outbox holds it encrypted). */
  const statusPathOf = async (ticket: Ticket): Promise<string> => {
    const jobs = await testEnv.dataSource.manager.find(OutboxJob, {
      where: { ticketId: ticket.id },
      order: { id: 'ASC' },
    });
    for (const job of jobs) {
      const mail = JSON.parse(cipher.decrypt(job.payload)) as OutgoingMail;
      const link = /https?:\/\/\S+\/status\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
      if (link) return new URL(link).pathname;
    }
    throw new Error(`no status link mailed for ${ticket.reference}`);
  };

  /** Sends the form with `files` and returns the new ticket and its status page path. */
  let shoppers = 0;
  const submitWithFiles = async (files: UploadFile[]) => {
    // An address of its own: the receipt (holding the link) is capped per address and day.
    shoppers += 1;
    const email = `shopper-${shoppers}-${tenant.site.slug}@example.jp`;
    const response = await postForm(files, { ...FORM, email }).expect(303);
    const location = new URL(response.headers.location as string, 'http://intake.test');
    const reference = location.searchParams.get('ref') ?? '';
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
    return { ticket, location, statusPath: await statusPathOf(ticket) };
  };

  /** A download's bytes, whatever its type. */
  const download = (path: string) =>
    http()
      .get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  /** Download links of the status page, in page order. */
  const attachmentLinks = (html: string): string[] =>
    [...html.matchAll(/href="(\/status\/[^"]+\/attachments\/\d+)"/g)].map((match) => match[1]);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    app = await startIntakeApp(testEnv);
    cipher = new FieldCipher(
      buildCryptoKeys(testEnv.env.FIELD_ENCRYPTION_KEYS, testEnv.env.BLIND_INDEX_KEY),
    );
  });

  beforeEach(async () => {
    tenant = await createTestTenant(testEnv.dataSource, { siteName: 'さくら雑貨店' });
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  describe('the branded form', () => {
    it('should offer a file input with the limits said, in a multipart form that needs no JavaScript', async () => {
      const html = (await http().get(`/s/${tenant.site.slug}`).expect(200)).text;

      expect(html).toMatch(/<form[^>]+enctype="multipart\/form-data"/);
      expect(html).toMatch(
        /<input[^>]+name="attachments"[^>]+type="file"[^>]+accept="image\/\*,application\/pdf,text\/plain"[^>]+multiple/,
      );
      expect(html).not.toContain('capture');
      expect(html).toContain('画像・PDF・テキスト、5点まで、1点5MBまで');
      expect(html).toMatch(/<label[^>]+for="f-attachments"/);
    });

    it('should store a ticket with two files from a multipart form and say so on the thank-you page', async () => {
      const png = plainPng(12, 8);
      const pdf = minimalPdf('statement');
      const { ticket, location } = await submitWithFiles([
        { filename: 'screenshot.png', bytes: png, contentType: 'image/png' },
        { filename: '明細.pdf', bytes: pdf, contentType: 'application/pdf' },
      ]);

      expect(ticket).toMatchObject({
        merchantId: tenant.merchant.id,
        category: 'suspicious_contact',
      });
      const [first] = await testEnv.dataSource.manager.find(Message, {
        where: { ticketId: ticket.id },
        order: { id: 'ASC' },
      });
      const stored = await testEnv.dataSource.manager.find(Attachment, {
        where: { ticketId: ticket.id },
        order: { id: 'ASC' },
      });
      expect(stored.map((row) => [row.messageId, row.contentType, row.size])).toEqual([
        [first.id, 'image/png', png.length],
        [first.id, 'application/pdf', pdf.length],
      ]);
      expect(stored.map((row) => cipher.decrypt(row.filename))).toEqual([
        'screenshot.png',
        '明細.pdf',
      ]);
      expect(location.searchParams.get('files')).toBe('2');
      const thanks = await http().get(`${location.pathname}${location.search}`).expect(200);
      expect(thanks.text).toContain('添付ファイルを2点受け付けました。');
    });

    it('should refuse a .png that is really HTML with the field error, keep the text and store nothing (no ticket)', async () => {
      const [tickets, files] = [await ticketCount(), await attachmentCount()];

      const response = await postForm([
        { filename: 'screenshot.png', bytes: plainPng(), contentType: 'image/png' },
        { filename: 'evil.png', bytes: HTML_AS_PNG, contentType: 'image/png' },
      ]).expect(400);

      expect(response.text).toMatch(/id="f-attachments-error"[^]*evil\.png[^]*添付できない種類/);
      expect(response.text).toContain(INTAKE_ATTACHMENT_TEXTS.chooseAgain);
      expect(response.text).toContain(`value="${FORM.name}"`);
      expect(response.text).toContain(FORM.message);
      expect(response.text).toMatch(
        /<input[^>]+aria-invalid="true"[^>]+name="attachments"|name="attachments"[^>]+aria-invalid="true"/,
      );
      expect(await ticketCount()).toBe(tickets);
      expect(await attachmentCount()).toBe(files);
    });

    it('should refuse six files with the field error and store nothing', async () => {
      const tickets = await ticketCount();
      const six = Array.from({ length: ATTACHMENT_LIMITS.maxFiles + 1 }, (_, i) => ({
        filename: `note-${i}.txt`,
        bytes: utf8Text(`file ${i}`),
        contentType: 'text/plain',
      }));

      const response = await postForm(six).expect(400);

      expect(response.text).toContain('添付できるファイルは5個までです。');
      expect(response.text).toContain(`value="${FORM.email}"`);
      expect(await ticketCount()).toBe(tickets);
    });

    it('should refuse a file over 5 MB with the field error (400) and a body over the total unread (413), cleanly', async () => {
      const tickets = await ticketCount();
      const oversized = Buffer.alloc(ATTACHMENT_LIMITS.maxFileBytes + 1, 0x41);

      const tooLarge = await postForm([
        { filename: 'big.txt', bytes: oversized, contentType: 'text/plain' },
      ]).expect(400);
      expect(tooLarge.text).toMatch(/id="f-attachments-error"[^]*big\.txt[^]*大きすぎます/);
      expect(tooLarge.text).toContain(`value="${FORM.name}"`);

      const huge = Buffer.alloc(ATTACHMENT_LIMITS.maxTotalBytes + MIB, 0x41);
      const refused = await postForm([{ filename: 'huge.txt', bytes: huge }]).catch(
        (error: { response?: request.Response }) => error.response,
      );
      // 413 with the error page, or the connection closed mid-upload: never a 5xx, nothing stored.
      if (refused) expect(refused.status).toBe(413);
      expect(await ticketCount()).toBe(tickets);
      // The app is fine afterwards.
      await postForm([]).expect(303);
    });

    it('should still take a form-encoded post without files, as before', async () => {
      const response = await http()
        .post(`/s/${tenant.site.slug}`)
        .type('form')
        .send(FORM)
        .expect(303);

      const location = new URL(response.headers.location as string, 'http://intake.test');
      expect(location.searchParams.get('files')).toBeNull();
      const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
        reference: location.searchParams.get('ref') ?? '',
      });
      expect(await testEnv.dataSource.manager.countBy(Attachment, { ticketId: ticket.id })).toBe(0);
    });

    it('should skip an empty file input (a browser sends a nameless empty part)', async () => {
      const { ticket, location } = await submitWithFiles([
        { filename: '', bytes: Buffer.alloc(0) },
      ]);

      expect(location.searchParams.get('files')).toBeNull();
      expect(await testEnv.dataSource.manager.countBy(Attachment, { ticketId: ticket.id })).toBe(0);
    });

    it('should refuse multipart on every other intake route (415)', async () => {
      const refused = await http()
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .field('name', FORM.name)
        .attach('attachments', plainPng(), 'a.png');
      expect(refused.status).toBe(415);
      const statusLink = await http()
        .post(`/s/${tenant.site.slug}/status-link`)
        .field('reference', 'AAAA-BBBB')
        .field('email', FORM.email);
      expect(statusLink.status).toBe(415);
    });
  });

  describe('the status page', () => {
    it('should list each public message’s files and hand them out byte-identical, as downloads only', async () => {
      const png = plainPng(16, 16);
      const text = utf8Text('明細のメモ');
      const { statusPath } = await submitWithFiles([
        { filename: 'screen.png', bytes: png, contentType: 'image/png' },
        { filename: 'memo.txt', bytes: text, contentType: 'text/plain' },
      ]);

      const page = await http().get(statusPath).expect(200);
      expect(page.text).toContain('screen.png');
      expect(page.text).toContain('memo.txt');
      const links = attachmentLinks(page.text);
      expect(links).toHaveLength(2);
      expect(links.every((link) => link.startsWith(`${statusPath}/attachments/`))).toBe(true);

      const image = await download(links[0]).expect(200);
      expect(Buffer.compare(image.body as Buffer, png)).toBe(0);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.headers['content-disposition']).toMatch(/^attachment; filename="screen\.png"/);
      expect(image.headers['x-content-type-options']).toBe('nosniff');
      expect(image.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      expect(image.headers['cache-control']).toBe('no-store');
      const memo = await download(links[1]).expect(200);
      expect(memo.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(Buffer.compare(memo.body as Buffer, text)).toBe(0);
    });

    it('should take a reply with a file (multipart) and show it under the reply', async () => {
      const { ticket, statusPath } = await submitWithFiles([]);
      const pdf = minimalPdf('receipt');

      await http()
        .post(`${statusPath}/replies`)
        .field('message', '請求書の控えを添付します。')
        .attach('attachments', pdf, { filename: '請求書.pdf', contentType: 'application/pdf' })
        .expect(303)
        .expect('location', `${statusPath}?sent=1`);

      const messages = await testEnv.dataSource.manager.find(Message, {
        where: { ticketId: ticket.id },
        order: { id: 'ASC' },
      });
      const reply = messages[messages.length - 1];
      const stored = await testEnv.dataSource.manager.findBy(Attachment, { messageId: reply.id });
      expect(stored.map((row) => [row.contentType, row.size])).toEqual([
        ['application/pdf', pdf.length],
      ]);
      const page = await http().get(statusPath).expect(200);
      expect(page.text).toContain('請求書.pdf');
      const [link] = attachmentLinks(page.text);
      const file = await download(link).expect(200);
      expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);
    });

    it('should refuse a reply’s disguised file with the field error, keep the message and store nothing', async () => {
      const { ticket, statusPath } = await submitWithFiles([]);
      const before = await testEnv.dataSource.manager.countBy(Message, { ticketId: ticket.id });

      const response = await http()
        .post(`${statusPath}/replies`)
        .field('message', 'これが届いたメールです。')
        .attach('attachments', HTML_AS_PNG, { filename: 'mail.png', contentType: 'image/png' })
        .expect(400);

      expect(response.text).toMatch(/id="f-attachments-error"[^]*mail\.png/);
      expect(response.text).toContain('これが届いたメールです。');
      expect(response.text).toContain(INTAKE_ATTACHMENT_TEXTS.chooseAgain);
      expect(await testEnv.dataSource.manager.countBy(Message, { ticketId: ticket.id })).toBe(
        before,
      );
      expect(await testEnv.dataSource.manager.countBy(Attachment, { ticketId: ticket.id })).toBe(0);
    });

    it('should answer 404 to another ticket’s token, an unknown id and a malformed id', async () => {
      const owner = await submitWithFiles([
        { filename: 'private.png', bytes: plainPng(), contentType: 'image/png' },
      ]);
      const other = await submitWithFiles([]);
      const [link] = attachmentLinks((await http().get(owner.statusPath).expect(200)).text);
      const id = link.split('/').pop() as string;

      await http().get(`${other.statusPath}/attachments/${id}`).expect(404);
      await http().get(`${owner.statusPath}/attachments/99999999`).expect(404);
      await http().get(`${owner.statusPath}/attachments/abc`).expect(404);
      await http()
        .get(`/status/${'x'.repeat(43)}/attachments/${id}`)
        .expect(404);
      await http().get(link).expect(200);
    });
  });

  it('should count multipart posts against the intake’s per-IP limit', async () => {
    const limited = await startIntakeApp(testEnv, { INTAKE_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const tickets = await ticketCount();
      const file = [{ filename: 'a.png', bytes: plainPng(), contentType: 'image/png' }];
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        // Each its own text: the same one within 30 minutes would be taken as a resubmission.
        const form = { ...FORM, message: `${FORM.message}（${i + 1}通目）` };
        statuses.push((await postForm(file, form, limited.getHttpServer())).status);
      }

      expect(statuses).toEqual([303, 303, 429]);
      expect(await ticketCount()).toBe(tickets + 2);
    } finally {
      await limited.close();
    }
  });
});
