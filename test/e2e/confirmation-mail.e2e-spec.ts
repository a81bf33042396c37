import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { OutboxWorker } from '@madoguchi/mail';
import { formatDueText, Ticket } from '@madoguchi/tickets';
import { DeskModule } from '../../apps/desk/src/desk.module';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

describe(`confirmation mail of a new inquiry (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: INestApplication;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;

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
    tenant = await createTestTenant(testEnv.dataSource, {
      senderName: 'さくら雑貨店 お問い合わせ窓口',
    });
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should mail the end user the reference and a working status link in the merchant’s sender name', async () => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    await expect(desk.get(OutboxWorker).drainOnce()).resolves.toMatchObject({ sent: 1 });
    const [mail] = await smtp.waitFor(1, 5000);
    expect(mail.envelopeTo).toEqual([VALID_INQUIRY.email]);
    expect(mail.headers.get('from')).toContain('さくら雑貨店 お問い合わせ窓口');
    expect(mail.subject).toContain(response.body.reference);
    expect(mail.text).toContain(response.body.reference);
    expect(mail.text).toContain(response.body.statusUrl);
    // When the first answer is due: the ticket's own first-response due, in Tokyo time.
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
      reference: response.body.reference,
    });
    expect(mail.text).toContain(
      `通常、1営業日以内（${formatDueText(ticket.firstResponseDueAt!)} 頃まで）にご回答します。`,
    );
    const statusPath = new URL(response.body.statusUrl).pathname;
    const page = await request(intake.getHttpServer()).get(statusPath).expect(200);
    expect(page.text).toContain(VALID_INQUIRY.message);
  });
});
