import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { IncidentMerchant, IncidentService } from '@madoguchi/incidents';
import { OutboxWorker } from '@madoguchi/mail';
import {
  AffectedListEntry,
  AffectedListService,
  AffectedListUpload,
  TicketDetermination,
} from '@madoguchi/incident-response';
import { Ticket } from '@madoguchi/tickets';
import { DeskModule } from '../../apps/desk/src/desk.module';
import { createTestUser } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { waitUntil } from '../support/wait-until';

const SHOPPER_EMAIL = 'racing.shopper@example.jp';

// The race needs two connections running at once: SQLite runs one writer at a time, so it
// cannot happen there (docs/incidents.md, "A check and an upload at the same moment").
const describeOnMysql = TEST_DB === 'mysql' ? describe : describe.skip;

describeOnMysql('a status-page check while a list upload is in flight (mysql)', () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: INestApplication;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  let incidentId: number;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
    });
    intake = await startIntakeApp(testEnv);
    const deskConfig = loadConfig({ ...testEnv.env, OUTBOX_WORKER: 'off' });
    desk = await createFastifyApp(DeskModule.forRoot(deskConfig), deskConfig);
    await desk.init();
    tenant = await createTestTenant(testEnv.dataSource);
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    incidentId = (
      await desk.get(IncidentService).create(
        {
          title: '2026年11月 不正アクセス',
          description: '決済画面の改ざん',
          leakedItems: 'メールアドレス',
          merchants: [{ merchantId: tenant.merchant.id, affected: true }],
        },
        { userId: operator.id, ip: '127.0.0.1' },
      )
    ).id;
    // The first list does not hold the shopper.
    await desk
      .get(AffectedListService)
      .upload(
        { kind: 'merchant', userId: merchantAdmin.id, merchantId: tenant.merchant.id },
        incidentId,
        { userId: merchantAdmin.id, ip: '127.0.0.1' },
        { mode: 'replace', file: Buffer.from('email\nsomeone.else@example.jp\n') },
      );
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should never leave a determination made against the list an upload was replacing', async () => {
    const filed = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({
        name: '確認 花子',
        email: SHOPPER_EMAIL,
        category: 'leak_check',
        message: '私の情報は含まれていますか。',
        consent: true,
      })
      .expect(201);
    const path = new URL(filed.body.statusUrl as string).pathname;
    await request(intake.getHttpServer())
      .post(`${path}/leak-check`)
      .type('form')
      .send({})
      .expect(303);
    await desk.get(OutboxWorker).drainOnce();
    const [mail] = await smtp.waitFor(2);
    const code = /確認コード：(\d{6})/.exec(smtp.messages[smtp.messages.length - 1].text)?.[1];
    expect(mail).toBeDefined();
    if (!code) throw new Error('no code mailed');
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: filed.body.reference });

    // An upload in flight, as AffectedListService.upload runs it: the merchant's incident row
    // locked, the new list (now holding the shopper) written, not yet committed.
    const upload = testEnv.dataSource.createQueryRunner();
    await upload.connect();
    await upload.startTransaction();
    const where = { incidentId, merchantId: tenant.merchant.id };
    await upload.manager
      .getRepository(IncidentMerchant)
      .createQueryBuilder('im')
      .where('im.incidentId = :incidentId AND im.merchantId = :merchantId', where)
      .setLock('pessimistic_write')
      .getOne();
    await upload.manager.insert(AffectedListEntry, {
      ...where,
      kind: 'email',
      valueIndex: ticket.requesterEmailIndex as string,
      createdAt: new Date('2026-12-05T03:00:00Z'),
    });
    await upload.manager.insert(AffectedListUpload, {
      ...where,
      uploadedByUserId: null,
      mode: 'add',
      encoding: 'utf-8',
      rowsRead: 1,
      rowsAdded: 1,
      duplicateRows: 0,
      rowsRejected: 0,
      listSize: 2,
      createdAt: new Date('2026-12-05T03:00:00Z'),
    });

    // The shopper's check starts meanwhile: it must wait for the upload, not answer from the
    // list being replaced.
    const checking = request(intake.getHttpServer())
      .post(`${path}/leak-check/verify`)
      .type('form')
      .send({ code })
      .then((response) => response);
    let waited = false;
    try {
      await waitUntil(async () => {
        // The check's statement waiting for the upload's lock on the merchant's incident row.
        const rows: { n: number | string }[] = await testEnv.dataSource.query(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '%incident_merchants%LOCK IN SHARE MODE%'",
        );
        return Number(rows[0]?.n) > 0;
      }, 5000);
      waited = true;
    } catch {
      // Without the lock the check does not wait: the assertions below then show what it did.
    }
    await upload.commitTransaction();
    await upload.release();
    const answered = await checking;
    expect(answered.status).toBe(200);

    const current = await testEnv.dataSource
      .getRepository(TicketDetermination)
      .findOneByOrFail({ currentTicketId: ticket.id });
    expect(current).toMatchObject({ outcome: 'included', evidence: 'verified_email_on_list' });
    const newest = await testEnv.dataSource
      .getRepository(AffectedListUpload)
      .findOneOrFail({ where, order: { id: 'DESC' } });
    expect(current.listUploadId).toBe(newest.id);
    // And it did so by waiting for the upload, not by luck of timing.
    expect(waited).toBe(true);
  });
});
