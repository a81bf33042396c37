import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { In } from 'typeorm';
import { AuditEvent } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import { buildCryptoKeys, FieldCipher } from '@madoguchi/crypto';
import { RetentionService } from '@madoguchi/jobs';
import { countNotUnderActiveKey, rotateFieldKeys } from '@madoguchi/operations';
import { ENCRYPTED_COLUMNS } from '@madoguchi/schema';
import {
  ATTACHMENT_LIMITS,
  Attachment,
  AttachmentInspector,
  AttachmentPart,
  AttachmentService,
  type CleanFile,
  Message,
  Ticket,
  TicketWorkService,
} from '@madoguchi/tickets';
import {
  GPS_MARKER,
  pngChunkTypes,
  pngWithMetadata,
  utf8Text,
} from '../support/attachment-fixtures';
import { dumpEveryTable } from '../support/database-dump';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { createTestTicket, startTicketServices } from '../support/ticket-desk-test';

const TEXT_MARKER = '添付マーカー_KQZXW';
const PNG_MARKER = 'PNG-META-MARKER-88Q';
/** Sent with a right-to-left override and a path: stored as its sanitised base name. */
const RAW_TEXT_NAME = '../../秘密\u202Etxt.exe';
const TEXT_NAME = '秘密txt.txt';
const PNG_NAME = '明細スクリーンショット.png';

const key32 = () => randomBytes(32).toString('base64');
const OLD_RING = `t1:${key32()}`;

/** Supertest collects a binary body as it is. */
const binary = (response: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

describe(`attachments (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let services: TestingModule;
  let desk: NestFastifyApplication;
  let agent: LoggedIn;
  let agentUser: User;
  let outsider: LoggedIn;
  let viewerA: LoggedIn;
  let viewerB: LoggedIn;
  let reference: string;
  let statusToken: string;
  let text: CleanFile;
  let png: CleanFile;
  let textId: number;
  let pngId: number;
  let noteFileId: number;

  const api = (session: LoggedIn, path: string) =>
    request(desk.getHttpServer())
      .get(path)
      .set('cookie', session.cookie)
      .buffer(true)
      .parse(binary);

  /** A real web inquiry through the intake's service: the ticket, its first message and status token. */
  const inquiry = async (tenant: TestTenant) => {
    const { ticket, token } = await createTestTicket(services, tenant);
    const message = await testEnv.dataSource
      .getRepository(Message)
      .findOneOrFail({ where: { ticketId: ticket.id }, order: { id: 'ASC' } });
    return { ticket, message, token };
  };

  /** Stores checked files on a message, in a transaction, as the intake and the desk do. */
  const store = (ticket: Ticket, messageId: number, files: CleanFile[]) =>
    testEnv.dataSource.transaction((manager) =>
      desk
        .get(AttachmentService)
        .store(manager, { ticketId: ticket.id, messageId, merchantId: ticket.merchantId }, files),
    );

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      FIELD_ENCRYPTION_KEYS: OLD_RING,
    });
    tenantA = await createTestTenant(testEnv.dataSource);
    tenantB = await createTestTenant(testEnv.dataSource);
    services = await startTicketServices(testEnv);
    desk = await startDeskApp(testEnv);
    const ds = testEnv.dataSource;
    agentUser = await createTestUser(ds, { role: 'agent', queueIds: [tenantA.queue.id] });
    agent = await loginAs(desk, agentUser.email);
    outsider = await loginAs(
      desk,
      (await createTestUser(ds, { role: 'agent', queueIds: [tenantB.queue.id] })).email,
    );
    viewerA = await loginAs(
      desk,
      (await createTestUser(ds, { role: 'merchant_viewer', merchantId: tenantA.merchant.id }))
        .email,
    );
    viewerB = await loginAs(
      desk,
      (await createTestUser(ds, { role: 'merchant_viewer', merchantId: tenantB.merchant.id }))
        .email,
    );

    const { ticket, message, token } = await inquiry(tenantA);
    reference = ticket.reference;
    statusToken = token;
    [text, png] = await AttachmentInspector.inspect([
      { filename: RAW_TEXT_NAME, bytes: utf8Text(TEXT_MARKER) },
      { filename: PNG_NAME, bytes: pngWithMetadata(PNG_MARKER) },
    ]);
    [textId, pngId] = (await store(ticket, message.id, [text, png])).map((stored) => stored.id);

    // An internal note with a file: operator staff only.
    await desk
      .get(TicketWorkService)
      .addNote(
        { kind: 'staff', userId: agentUser.id, queueIds: 'all' },
        reference,
        { body: '社内メモ（添付あり）' },
        { userId: agentUser.id, ip: null },
      );
    const note = await ds
      .getRepository(Message)
      .findOneOrFail({ where: { ticketId: ticket.id, kind: 'note' } });
    [{ id: noteFileId }] = await store(ticket, note.id, [text]);
  });

  afterAll(async () => {
    await desk?.close();
    await services?.close();
    await testEnv?.cleanup();
  });

  describe('checking and storing', () => {
    it('should have sanitised the name (no path, no right-to-left override) and stripped the PNG’s metadata', () => {
      expect(text).toMatchObject({ filename: TEXT_NAME, contentType: 'text/plain' });
      expect(png.contentType).toBe('image/png');
      expect(pngChunkTypes(png.bytes)).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect(png.bytes.includes(PNG_MARKER)).toBe(false);
      expect(png.bytes.includes(GPS_MARKER)).toBe(false);
    });

    it("should list each message's attachments in the ticket JSON", async () => {
      const response = await request(desk.getHttpServer())
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', agent.cookie)
        .expect(200);
      const messages = (response.body as { messages: { kind: string; attachments: unknown[] }[] })
        .messages;
      expect(messages[0].kind).toBe('customer');
      expect(messages[0].attachments).toEqual([
        expect.objectContaining({
          id: textId,
          filename: TEXT_NAME,
          contentType: 'text/plain',
          size: text.bytes.length,
        }),
        expect.objectContaining({
          id: pngId,
          filename: PNG_NAME,
          contentType: 'image/png',
          size: png.bytes.length,
        }),
      ]);
      expect(messages.find((message) => message.kind === 'note')?.attachments).toEqual([
        expect.objectContaining({ id: noteFileId }),
      ]);
    });

    it('should leave neither the text’s content nor its name nor the image metadata in a dump of the database', async () => {
      const dump = (await dumpEveryTable(testEnv.dataSource)).map((value) => value.text).join('\n');
      for (const secret of [
        TEXT_MARKER,
        Buffer.from(TEXT_MARKER).toString('base64'),
        TEXT_NAME,
        '秘密',
        PNG_NAME,
        PNG_MARKER,
        GPS_MARKER,
      ]) {
        expect(dump.includes(secret)).toBe(false);
      }
      // …while the rows are there, sealed: the search above could have found them.
      const parts = await testEnv.dataSource.getRepository(AttachmentPart).find();
      expect(parts.length).toBeGreaterThanOrEqual(3);
      expect(parts.every((part) => part.content.startsWith('enc1:t1:'))).toBe(true);
    });
  });

  describe('download through the API', () => {
    it('should return the stored bytes, byte-identical, as a download that never renders', async () => {
      for (const [id, file] of [
        [textId, text],
        [pngId, png],
      ] as const) {
        const response = await api(agent, `/api/v1/attachments/${id}`).expect(200);
        expect(Buffer.compare(response.body as Buffer, file.bytes)).toBe(0);
        expect(response.headers['content-disposition']).toMatch(
          /^attachment; filename="[^"]*"; filename\*=UTF-8''/,
        );
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
        expect(response.headers['cache-control']).toBe('no-store');
      }
      const textResponse = await api(agent, `/api/v1/attachments/${textId}`).expect(200);
      expect(textResponse.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(textResponse.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent(TEXT_NAME)}`,
      );
      const pngResponse = await api(agent, `/api/v1/attachments/${pngId}`).expect(200);
      expect(pngResponse.headers['content-type']).toBe('image/png');
    });

    it('should audit each download with the user, the merchant, the attachment and the address', async () => {
      await api(agent, `/api/v1/attachments/${pngId}`).expect(200);
      const [event] = await testEnv.dataSource.getRepository(AuditEvent).find({
        where: { action: 'attachment.viewed', targetId: String(pngId) },
        order: { id: 'DESC' },
        take: 1,
      });
      expect(event).toMatchObject({
        actorType: 'user',
        actorId: agentUser.id,
        merchantId: tenantA.merchant.id,
        targetType: 'attachment',
      });
      expect(event.ip).toEqual(expect.any(String));
      expect(JSON.parse(event.detail ?? '{}')).toEqual({
        ticket: reference,
        messageId: expect.any(Number),
        contentType: 'image/png',
      });
    });

    it("should answer 404 for another merchant's attachment, exactly as for an unknown one, auditing nothing", async () => {
      const views = () =>
        testEnv.dataSource
          .getRepository(AuditEvent)
          .countBy({ action: 'attachment.viewed', targetId: String(textId) });
      const before = await views();
      const other = await api(viewerB, `/api/v1/attachments/${textId}`).expect(404);
      const unknown = await api(viewerB, '/api/v1/attachments/987654321').expect(404);
      expect(JSON.parse(String(other.body))).toEqual(JSON.parse(String(unknown.body)));
      expect(String(other.body)).not.toContain(TEXT_MARKER);
      // Another queue's agent, a malformed id, an impossible id.
      await api(outsider, `/api/v1/attachments/${textId}`).expect(404);
      await api(agent, '/api/v1/attachments/abc').expect(404);
      await api(agent, '/api/v1/attachments/0').expect(404);
      expect(await views()).toBe(before);
    });

    it("should let the merchant's own users download the conversation's files but not an internal note's", async () => {
      const own = await api(viewerA, `/api/v1/attachments/${textId}`).expect(200);
      expect(Buffer.compare(own.body as Buffer, text.bytes)).toBe(0);
      await api(viewerA, `/api/v1/attachments/${noteFileId}`).expect(404);
      await api(agent, `/api/v1/attachments/${noteFileId}`).expect(200);
    });

    it('should refuse a request without a session', async () => {
      await request(desk.getHttpServer()).get(`/api/v1/attachments/${textId}`).expect(401);
    });
  });

  describe('by status token', () => {
    it("should open a public message's file with the ticket's token, and nothing else", async () => {
      const attachments = desk.get(AttachmentService);
      const file = await attachments.openForStatusToken(statusToken, textId);
      expect(Buffer.compare(file.content, text.bytes)).toBe(0);
      // An internal note's file, another ticket's token, a malformed token: not found.
      await expect(attachments.openForStatusToken(statusToken, noteFileId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const { token: otherToken } = await inquiry(tenantB);
      await expect(attachments.openForStatusToken(otherToken, textId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(attachments.openForStatusToken('x', textId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  describe('size', () => {
    it(`should round-trip a ${ATTACHMENT_LIMITS.maxFileBytes / 1024 / 1024} MiB file byte for byte`, async () => {
      const { ticket, message } = await inquiry(tenantA);
      const line = Buffer.from(`${TEXT_MARKER} 明細の行 0123456789\n`);
      // Whole lines (a cut multi-byte character would not be UTF-8), the rest newlines.
      const bytes = Buffer.alloc(ATTACHMENT_LIMITS.maxFileBytes, 0x0a);
      for (let offset = 0; offset + line.length <= bytes.length; offset += line.length) {
        line.copy(bytes, offset);
      }
      const [big] = await AttachmentInspector.inspect([{ filename: 'big.txt', bytes }]);
      expect(big.bytes.length).toBe(ATTACHMENT_LIMITS.maxFileBytes);
      const [{ id }] = await store(ticket, message.id, [big]);
      const response = await api(agent, `/api/v1/attachments/${id}`).expect(200);
      expect((response.body as Buffer).length).toBe(bytes.length);
      expect(Buffer.compare(response.body as Buffer, bytes)).toBe(0);
    }, 60_000);
  });

  describe('key rotation', () => {
    it('should re-encrypt names and bytes under the new key, page by page, and still open them', async () => {
      const ring = `t2:${key32()},${OLD_RING}`;
      const cipher = new FieldCipher(buildCryptoKeys(ring, testEnv.env.BLIND_INDEX_KEY));
      const tables = ENCRYPTED_COLUMNS.filter((spec) => spec.table.startsWith('attachment'));
      expect(tables.map((spec) => spec.table).sort()).toEqual(['attachment_parts', 'attachments']);
      const report = await rotateFieldKeys(testEnv.dataSource, cipher, { tables, batchSize: 7 });
      expect(report.complete).toBe(true);
      for (const spec of tables) {
        expect(await countNotUnderActiveKey(testEnv.dataSource, cipher, spec)).toBe(0);
      }
      const parts = await testEnv.dataSource
        .getRepository(AttachmentPart)
        .find({ where: { attachmentId: textId }, order: { partNo: 'ASC' } });
      const opened = Buffer.concat(
        parts.map((part) => Buffer.from(cipher.decrypt(part.content), 'base64')),
      );
      expect(Buffer.compare(opened, text.bytes)).toBe(0);
      const row = await testEnv.dataSource
        .getRepository(Attachment)
        .findOneByOrFail({ id: textId });
      expect(cipher.keyIdOf(row.filename)).toBe('t2');
      expect(cipher.decrypt(row.filename)).toBe(TEXT_NAME);
    });
  });

  describe('retention', () => {
    it('should erase the attachments with the ticket, names and bytes', async () => {
      const { ticket, message } = await inquiry(tenantA);
      const stored = await store(ticket, message.id, [text, png]);
      const ids = stored.map((each) => each.id);
      const closedAt = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000);
      await testEnv.dataSource
        .getRepository(Ticket)
        .update({ id: ticket.id }, { status: 'closed', closedAt });
      await desk.get(RetentionService).eraseDue(new Date());
      const repository = testEnv.dataSource.getRepository(Attachment);
      expect(await repository.countBy({ id: In(ids) })).toBe(0);
      expect(
        await testEnv.dataSource.getRepository(AttachmentPart).countBy({ attachmentId: In(ids) }),
      ).toBe(0);
      // The other tickets' files are untouched.
      expect(await repository.countBy({ id: In([textId, pngId]) })).toBe(2);
      const [erased] = await testEnv.dataSource.getRepository(AuditEvent).find({
        where: { action: 'ticket.erased', targetId: ticket.reference },
      });
      expect(JSON.parse(erased.detail ?? '{}')).toMatchObject({ attachments: 2 });
    });
  });
});
