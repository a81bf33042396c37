import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { BlindIndex, buildCryptoKeys, FieldCipher } from '@madoguchi/crypto';
import { OutboxJob } from '@madoguchi/mail';
import { IdempotencyKey, Message, Ticket } from '@madoguchi/tickets';
import { dumpDatabase, startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

describe(`intake JSON API (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  let cipher: FieldCipher;
  let blindIndex: BlindIndex;

  const url = () => `/api/v1/sites/${tenant.site.slug}/inquiries`;
  const counts = async () => {
    const { manager } = testEnv.dataSource;
    return {
      tickets: await manager.count(Ticket),
      messages: await manager.count(Message),
      outbox: await manager.count(OutboxJob),
      audit: await manager.count(AuditEvent),
      idempotency: await manager.count(IdempotencyKey),
    };
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    app = await startIntakeApp(testEnv);
    const keys = buildCryptoKeys(testEnv.env.FIELD_ENCRYPTION_KEYS, testEnv.env.BLIND_INDEX_KEY);
    cipher = new FieldCipher(keys);
    blindIndex = new BlindIndex(keys);
  });

  beforeEach(async () => {
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  it('should store a valid inquiry as a new web ticket in the merchant queue and answer 201', async () => {
    const response = await request(app.getHttpServer()).post(url()).send(VALID_INQUIRY).expect(201);
    expect(response.body).toEqual({
      reference: expect.stringMatching(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/),
      statusUrl: expect.stringMatching(/^http:\/\/intake\.test\/status\/[A-Za-z0-9_-]{43}$/),
    });
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
      reference: response.body.reference,
    });
    expect(ticket).toMatchObject({
      merchantId: tenant.merchant.id,
      siteId: tenant.site.id,
      queueId: tenant.queue.id,
      status: 'new',
      channel: 'web',
      category: 'leak_check',
      assigneeId: null,
    });
    expect(ticket.firstResponseDueAt!.getTime()).toBeGreaterThan(ticket.createdAt.getTime());
    expect(cipher.decrypt(ticket.requesterName!)).toBe(VALID_INQUIRY.name);
    expect(cipher.decrypt(ticket.requesterEmail!)).toBe(VALID_INQUIRY.email);
    expect(cipher.decrypt(ticket.requesterPhone!)).toBe(VALID_INQUIRY.phone);
    expect(cipher.decrypt(ticket.orderNumber!)).toBe(VALID_INQUIRY.orderNumber);
    expect(ticket.requesterEmailIndex).toBe(blindIndex.email('HANAKO.YAMADA@example.jp'));
    expect(ticket.requesterPhoneIndex).toBe(blindIndex.phone('+819012345678'));
    const messages = await testEnv.dataSource.manager.findBy(Message, { ticketId: ticket.id });
    expect(messages).toHaveLength(1);
    expect(messages[0].kind).toBe('customer');
    expect(cipher.decrypt(messages[0].body!)).toBe(VALID_INQUIRY.message);
    const audit = await testEnv.dataSource.manager.findBy(AuditEvent, {
      targetId: ticket.reference,
    });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'ticket.created',
        actorType: 'end_user',
        merchantId: tenant.merchant.id,
      }),
    ]);
    expect(audit[0].ip).toBeTruthy();
  });

  it('should hash the status token and encrypt the confirmation mail in the outbox', async () => {
    const response = await request(app.getHttpServer()).post(url()).send(VALID_INQUIRY).expect(201);
    const token = response.body.statusUrl.split('/').pop();
    const dump = await dumpDatabase(testEnv);
    expect(dump).not.toContain(token);
    const jobs = await testEnv.dataSource.manager.find(OutboxJob, {
      order: { id: 'DESC' },
      take: 1,
    });
    const mail = JSON.parse(cipher.decrypt(jobs[0].payload));
    expect(mail).toMatchObject({ to: VALID_INQUIRY.email, fromName: tenant.site.senderName });
    expect(mail.text).toContain(response.body.reference);
    expect(mail.text).toContain(response.body.statusUrl);
  });

  it('should leave no plaintext personal data in a dump of the database', async () => {
    const distinctive = {
      ...VALID_INQUIRY,
      name: '流出確認 太郎',
      email: 'unique.person.4711@example.jp',
      phone: '080-9876-5432',
      orderNumber: 'ZX-99887766',
      message: '固有の本文テキスト_ABCDEF',
    };
    await request(app.getHttpServer()).post(url()).send(distinctive).expect(201);
    const dump = await dumpDatabase(testEnv);
    for (const value of [
      distinctive.name,
      distinctive.email,
      distinctive.phone,
      '+818098765432',
      distinctive.orderNumber,
      distinctive.message,
    ]) {
      expect(dump).not.toContain(value);
    }
  });

  it('should mask a card number in the message before storing and mailing it', async () => {
    const response = await request(app.getHttpServer())
      .post(url())
      .send({ ...VALID_INQUIRY, message: 'カード 4111 1111 1111 1111 は使えますか' })
      .expect(201);
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
      reference: response.body.reference,
    });
    const [message] = await testEnv.dataSource.manager.findBy(Message, { ticketId: ticket.id });
    expect(cipher.decrypt(message.body!)).toBe('カード **** **** **** 1111 は使えますか');
  });

  it('should answer 400 with an error per field and store nothing', async () => {
    const before = await counts();
    const response = await request(app.getHttpServer())
      .post(url())
      .send({
        name: '',
        email: 'nope',
        phone: 'x',
        category: 'refund',
        message: '',
        consent: false,
        admin: true,
      })
      .expect(400);
    expect(response.body.statusCode).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = (response.body.errors as { field: string; message: string }[])
      .map((error) => error.field)
      .sort();
    expect(fields).toEqual(['admin', 'category', 'consent', 'email', 'message', 'name', 'phone']);
    for (const error of response.body.errors) expect(error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(await counts()).toEqual(before);
  });

  it('should answer 400 to malformed JSON and to a non-object body, storing nothing', async () => {
    const before = await counts();
    await request(app.getHttpServer())
      .post(url())
      .set('content-type', 'application/json')
      .send('{"name":')
      .expect(400);
    const array = await request(app.getHttpServer()).post(url()).send([VALID_INQUIRY]).expect(400);
    expect(array.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    expect(await counts()).toEqual(before);
  });

  it('should return the same reference for a repeated Idempotency-Key and store nothing new', async () => {
    const first = await request(app.getHttpServer())
      .post(url())
      .set('Idempotency-Key', 'key-123')
      .send(VALID_INQUIRY)
      .expect(201);
    const before = await counts();
    const second = await request(app.getHttpServer())
      .post(url())
      .set('Idempotency-Key', 'key-123')
      .send(VALID_INQUIRY)
      .expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await counts()).toEqual(before);
  });

  it('should refuse an Idempotency-Key reused with another body with 422 and store nothing', async () => {
    await request(app.getHttpServer())
      .post(url())
      .set('Idempotency-Key', 'key-456')
      .send(VALID_INQUIRY)
      .expect(201);
    const before = await counts();
    const response = await request(app.getHttpServer())
      .post(url())
      .set('Idempotency-Key', 'key-456')
      .send({ ...VALID_INQUIRY, message: '別の内容' })
      .expect(422);
    expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await counts()).toEqual(before);
  });

  it('should create one ticket when the same Idempotency-Key arrives concurrently', async () => {
    const before = await counts();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(app.getHttpServer())
          .post(url())
          .set('Idempotency-Key', 'race-1')
          // Its own address: earlier cases used up VALID_INQUIRY's daily confirmation mails.
          .send({ ...VALID_INQUIRY, email: 'idempotency-race@example.jp' }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((response) => response.body.reference)).size).toBe(1);
    const after = await counts();
    expect(after.tickets - before.tickets).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
  });

  it('should answer 413 to an oversized body and store nothing', async () => {
    const before = await counts();
    const response = await request(app.getHttpServer())
      .post(url())
      .send({ ...VALID_INQUIRY, message: 'あ'.repeat(40_000) })
      .expect(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await counts()).toEqual(before);
  });

  it('should answer 404 for an unknown site and 410 with the merchant contact when intake is closed', async () => {
    await request(app.getHttpServer())
      .post('/api/v1/sites/no-such-shop/inquiries')
      .send(VALID_INQUIRY)
      .expect(404);
    const closed = await createTestTenant(testEnv.dataSource, { intakeOpen: false });
    const before = await counts();
    const response = await request(app.getHttpServer())
      .post(`/api/v1/sites/${closed.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(410);
    expect(response.body).toMatchObject({
      code: 'INTAKE_CLOSED',
      contact: { url: closed.site.contactUrl },
    });
    const ended = await createTestTenant(testEnv.dataSource, {
      supportEndsAt: new Date(Date.now() - 1000),
    });
    await request(app.getHttpServer())
      .post(`/api/v1/sites/${ended.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(410);
    expect(await counts()).toEqual(before);
  });

  it('should file each site’s inquiry under its own merchant only', async () => {
    const other = await createTestTenant(testEnv.dataSource);
    const response = await request(app.getHttpServer())
      .post(`/api/v1/sites/${other.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
      reference: response.body.reference,
    });
    expect(ticket.merchantId).toBe(other.merchant.id);
    expect(ticket.queueId).toBe(other.queue.id);
    expect(ticket.merchantId).not.toBe(tenant.merchant.id);
  });

  it('should open only the methods a route needs', async () => {
    await request(app.getHttpServer()).put(url()).send(VALID_INQUIRY).expect(404);
    await request(app.getHttpServer()).delete(url()).expect(404);
    await request(app.getHttpServer()).get(url()).expect(404);
  });
});
