import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { AUDIT_ACTIONS, AuditEvent, AuditModule } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { CalendarModule } from '@madoguchi/calendar';
import { ClockModule, DeskEventsModule } from '@madoguchi/common';
import { ConfigModule, loadConfig } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/schema';
import { MailModule, type OutgoingMail, OutboxJob, OutboxService } from '@madoguchi/mail';
import { Merchant, TenancyModule, type TenantScope } from '@madoguchi/tenancy';
import { MerchantDigestService, SupportPeriodService, TicketJobsModule } from '@madoguchi/jobs';
import { Ticket, TicketDeskModule, TicketsModule, TicketWorkService } from '@madoguchi/tickets';
import { IncidentDeskModule } from '@madoguchi/incident-response';
import { createTestUser } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { auditRows, createTestTicket, scopeOf, TEST_INQUIRY } from '../support/ticket-desk-test';

const IP = '192.0.2.55';
const HOUR_MS = 60 * 60 * 1000;
/** 2031-04-02 10:00 in Tokyo; the digest reports 2031-04-01 (Tokyo). */
const DIGEST_NOW = new Date('2031-04-02T01:00:00.000Z');
const REPORTED_DAY_START = new Date('2031-03-31T15:00:00.000Z');

describe(`merchant notifications (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let admin: User;
  let scope: TenantScope;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig(testEnv.env)),
        ClockModule.forRoot(),
        DatabaseModule,
        CryptoModule,
        AuditModule,
        CalendarModule.forRoot(),
        DeskEventsModule,
        MailModule.forRoot({ worker: true }),
        TenancyModule,
        TicketsModule,
        TicketDeskModule,
        IncidentDeskModule,
        TicketJobsModule,
      ],
    }).compile();
    await moduleRef.init();
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    scope = await scopeOf(moduleRef, admin);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  async function mailsTo(addresses: string[]): Promise<OutgoingMail[]> {
    const outbox = moduleRef.get(OutboxService);
    const jobs = await testEnv.dataSource.getRepository(OutboxJob).find({ order: { id: 'ASC' } });
    return jobs.map((job) => outbox.readMail(job)).filter((mail) => addresses.includes(mail.to));
  }

  async function tenantWith(emails: string[], supportEndsAt: Date | null = null) {
    const tenant = await createTestTenant(testEnv.dataSource, { supportEndsAt });
    await testEnv.dataSource
      .getRepository(Merchant)
      .update({ id: tenant.merchant.id }, { notificationEmails: emails });
    return tenant;
  }

  function expectNoPersonalData(text: string): void {
    for (const value of [
      TEST_INQUIRY.name,
      TEST_INQUIRY.email,
      TEST_INQUIRY.phone,
      TEST_INQUIRY.orderNumber,
      TEST_INQUIRY.message,
    ]) {
      expect(text).not.toContain(value);
    }
  }

  async function waitForAudit(action: string, reference: string, count: number): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await auditRows(moduleRef, action, reference)).length >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  describe('support period end', () => {
    it('should mail each notification address once after the end, and not before', async () => {
      const endsAt = new Date('2031-05-01T15:00:00.000Z');
      const tenant = await tenantWith(['a@end.test', 'b@end.test'], endsAt);
      const service = moduleRef.get(SupportPeriodService);

      await service.notifyEnded(new Date(endsAt.getTime() - 1000));
      expect(await mailsTo(['a@end.test', 'b@end.test'])).toHaveLength(0);

      const after = new Date(endsAt.getTime() + HOUR_MS);
      await Promise.all([service.notifyEnded(after), service.notifyEnded(after)]);
      await service.notifyEnded(new Date(after.getTime() + HOUR_MS));

      const mails = await mailsTo(['a@end.test', 'b@end.test']);
      expect(mails.map((mail) => mail.to).sort()).toEqual(['a@end.test', 'b@end.test']);
      expect(mails[0].subject).toContain('サポート期間が終了しました');
      expect(mails[0].text).toContain('2031-05-02');
      expect(mails[0].text).toContain(tenant.merchant.name);
      const events = await testEnv.dataSource.getRepository(AuditEvent).findBy({
        action: AUDIT_ACTIONS.merchantSupportEndedNotified,
        merchantId: tenant.merchant.id,
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorType: 'system', targetId: endsAt.toISOString() });
    });

    it('should leave the open tickets of an ended merchant untouched', async () => {
      const endsAt = new Date('2031-06-01T00:00:00.000Z');
      const tenant = await tenantWith(['c@end.test']);
      const { ticket } = await createTestTicket(moduleRef, tenant);
      await testEnv.dataSource
        .getRepository(Merchant)
        .update({ id: tenant.merchant.id }, { supportEndsAt: endsAt });

      await moduleRef.get(SupportPeriodService).notifyEnded(new Date(endsAt.getTime() + 1000));

      const stored = await testEnv.dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: ticket.id });
      expect(stored).toMatchObject({ status: 'new', version: ticket.version });
      expect(await mailsTo(['c@end.test'])).toHaveLength(1);
    });
  });

  describe('question to the merchant', () => {
    it('should mail the merchant at once when a ticket moves to pending_merchant, without personal data', async () => {
      const tenant = await tenantWith(['q@question.test']);
      const { ticket } = await createTestTicket(moduleRef, tenant);
      const work = moduleRef.get(TicketWorkService);

      await work.changeStatus(
        scope,
        ticket.reference,
        { status: 'pending_merchant' },
        { userId: admin.id, ip: IP },
      );
      await waitForAudit(AUDIT_ACTIONS.merchantQuestionNotified, ticket.reference, 1);

      const mails = await mailsTo(['q@question.test']);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toContain(ticket.reference);
      expect(mails[0].text).toContain('流出の有無・対象の確認');
      expectNoPersonalData(`${mails[0].subject}\n${mails[0].text}`);

      // Leaving pending_merchant is no question: no further mail.
      await work.changeStatus(
        scope,
        ticket.reference,
        { status: 'open' },
        { userId: admin.id, ip: IP },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await mailsTo(['q@question.test'])).toHaveLength(1);
      expect(
        await auditRows(moduleRef, AUDIT_ACTIONS.merchantQuestionNotified, ticket.reference),
      ).toHaveLength(1);
    });
  });

  describe('daily digest', () => {
    let tenant: TestTenant;
    const addresses = ['d1@digest.test', 'd2@digest.test'];
    const references: Record<string, string> = {};

    beforeAll(async () => {
      tenant = await tenantWith(addresses);
      const tickets = testEnv.dataSource.getRepository(Ticket);
      const inDay = (hours: number) => new Date(REPORTED_DAY_START.getTime() + hours * HOUR_MS);
      // Two new on the reported day, one of them resolved that day; one older one waiting.
      const first = await createTestTicket(moduleRef, tenant);
      await tickets.update(
        { id: first.ticket.id },
        { createdAt: inDay(1), status: 'resolved', resolvedAt: inDay(5) },
      );
      const second = await createTestTicket(moduleRef, tenant);
      await tickets.update({ id: second.ticket.id }, { createdAt: inDay(23.9) });
      const waiting = await createTestTicket(moduleRef, tenant);
      await tickets.update({ id: waiting.ticket.id }, { createdAt: inDay(-30) });
      await moduleRef
        .get(TicketWorkService)
        .changeStatus(
          scope,
          waiting.ticket.reference,
          { status: 'pending_merchant' },
          { userId: admin.id, ip: IP },
        );
      // Arranging the past: the data source refuses to change audit rows (append-only), so the
      // test backdates this one with the listeners off, which the application never does.
      await testEnv.dataSource
        .createQueryBuilder()
        .update(AuditEvent)
        .set({ createdAt: inDay(3) })
        .where({ action: AUDIT_ACTIONS.ticketStatusChanged, targetId: waiting.ticket.reference })
        .callListeners(false)
        .execute();
      // Outside the reported day: neither new nor resolved.
      const dayBefore = await createTestTicket(moduleRef, tenant);
      await tickets.update({ id: dayBefore.ticket.id }, { createdAt: inDay(-0.1) });
      references.first = first.ticket.reference;
      references.second = second.ticket.reference;
      references.waiting = waiting.ticket.reference;
      await waitForAudit(AUDIT_ACTIONS.merchantQuestionNotified, waiting.ticket.reference, 1);
    });

    const digests = async () =>
      (await mailsTo(addresses)).filter((mail) => mail.subject.includes('日次レポート'));

    it('should not send before DIGEST_HOUR in Tokyo', async () => {
      await moduleRef.get(MerchantDigestService).sendDue(new Date('2031-04-01T23:59:00.000Z'));
      expect(await digests()).toHaveLength(0);
    });

    it('should send one digest per address with the previous Tokyo day’s counts and references only', async () => {
      await moduleRef.get(MerchantDigestService).sendDue(DIGEST_NOW);

      const mails = await digests();
      expect(mails.map((mail) => mail.to).sort()).toEqual(addresses);
      const { subject, text } = mails[0];
      expect(subject).toBe('【窓口】日次レポート 2031-04-01');
      expect(text).toContain('新規のお問い合わせ：2 件');
      expect(text).toContain('解決したお問い合わせ：1 件');
      expect(text).toContain('貴社へのご確認依頼：1 件');
      expect(text).toContain('現在、貴社のご回答をお待ちしているお問い合わせ：1 件');
      expect(text).toContain(`・${references.waiting}（流出の有無・対象の確認）`);
      expectNoPersonalData(`${subject}\n${text}`);
    });

    it('should send the digest only once per Tokyo day, even when runs overlap', async () => {
      const service = moduleRef.get(MerchantDigestService);
      await Promise.all([
        service.sendDue(new Date(DIGEST_NOW.getTime() + HOUR_MS)),
        service.sendDue(new Date(DIGEST_NOW.getTime() + HOUR_MS)),
      ]);
      await service.sendDue(new Date(DIGEST_NOW.getTime() + 13 * HOUR_MS)); // 23:00 Tokyo

      expect(await digests()).toHaveLength(addresses.length);
      const events = await testEnv.dataSource.getRepository(AuditEvent).findBy({
        action: AUDIT_ACTIONS.merchantDigestSent,
        merchantId: tenant.merchant.id,
      });
      expect(events).toHaveLength(1);
      expect(events[0].targetId).toBe('2031-04-02');
    });

    it('should send again on the next Tokyo day, once even when two instances race', async () => {
      const service = moduleRef.get(MerchantDigestService);
      const nextDay = new Date(DIGEST_NOW.getTime() + 24 * HOUR_MS);
      await Promise.all([service.sendDue(nextDay), service.sendDue(nextDay)]);

      const mails = await digests();
      expect(mails).toHaveLength(2 * addresses.length);
      expect(mails[mails.length - 1].subject).toBe('【窓口】日次レポート 2031-04-02');
    });

    it('should send nothing to a merchant without notification addresses', async () => {
      const silent = await tenantWith([]);
      await moduleRef.get(MerchantDigestService).sendDue(DIGEST_NOW);
      expect(
        await testEnv.dataSource.getRepository(AuditEvent).countBy({
          action: AUDIT_ACTIONS.merchantDigestSent,
          merchantId: silent.merchant.id,
        }),
      ).toBe(0);
    });
  });
});
