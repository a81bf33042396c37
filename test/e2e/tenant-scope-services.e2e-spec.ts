import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AccessLogModule, AccessLogService, AuditEvent, AuditModule } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import { CalendarModule } from '@madoguchi/calendar';
import { CallLogModule, CallLogService } from '@madoguchi/calls';
import {
  ClockModule,
  DeskEventsModule,
  ErrorCode,
  type MerchantScope,
  systemScope,
} from '@madoguchi/common';
import { ConfigModule, loadConfig } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { AnswerApproval, AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { FaqPageModule, FaqPageService, IncidentDeskModule } from '@madoguchi/incident-response';
import { MailModule } from '@madoguchi/mail';
import { DatabaseModule } from '@madoguchi/schema';
import {
  MerchantSettingsModule,
  MerchantSettingsService,
  MerchantSettingsUsersService,
} from '@madoguchi/tenant-admin';
import { Merchant, MerchantProfileService, TenancyModule } from '@madoguchi/tenancy';
import {
  scopedTicketQuery,
  TicketDeskModule,
  TicketsModule,
  TicketWorkService,
} from '@madoguchi/tickets';
import { createTestUser } from '../support/desk-test-app';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';
import { createTestTicket } from '../support/ticket-desk-test';

const IP = '192.0.2.90';
const notFound = { code: ErrorCode.NotFound };

/**
 * The scope-typed services of incidents, answer approvals, merchant settings and users, the
 * access log, the merchant's names and a case's calls, called with merchant A's scope on
 * merchant B's rows (real database, no HTTP; the route-level matrix is
 * tenant-isolation-matrix.e2e-spec.ts): B's rows do not exist for A and stay unchanged. Jobs
 * act in a system scope, which sees every merchant.
 */
describe(`scope-typed services: one merchant never reads or changes another's (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let a: TestTenant;
  let b: TestTenant;
  let staff: User;
  let adminA: User;
  let adminB: User;
  let scopeA: MerchantScope;
  let scopeB: MerchantScope;
  let incidentOfB: number;
  let versionOfB: number;
  let referenceOfB: string;

  const actorA = () => ({ userId: adminA.id, ip: IP });

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
        AccessLogModule,
        MerchantSettingsModule,
        CallLogModule,
        FaqPageModule,
      ],
    }).compile();
    await moduleRef.init();
    dataSource = moduleRef.get(DataSource);
    a = await createTestTenant(dataSource, { merchantName: 'あさひ商店' });
    b = await createTestTenant(dataSource, { merchantName: 'ばんり堂' });
    staff = await createTestUser(dataSource, { role: 'admin' });
    adminA = await createTestUser(dataSource, {
      role: 'merchant_admin',
      merchantId: a.merchant.id,
    });
    adminB = await createTestUser(dataSource, {
      role: 'merchant_admin',
      merchantId: b.merchant.id,
    });
    scopeA = testMerchantScope(a.merchant.id, adminA.id);
    scopeB = testMerchantScope(b.merchant.id, adminB.id);

    // An incident that affects B only, with one answer template.
    const incident = await moduleRef.get(IncidentService).create(
      {
        title: 'B の不正アクセス',
        description: '説明',
        leakedItems: '氏名',
        occurredFrom: null,
        occurredTo: null,
        merchants: [
          { merchantId: a.merchant.id, affected: false, noticeDate: null },
          { merchantId: b.merchant.id, affected: true, noticeDate: null },
        ],
      },
      { userId: staff.id, ip: IP },
    );
    incidentOfB = incident.id;
    const template = await moduleRef
      .get(AnswerTemplateService)
      .create(
        incidentOfB,
        { title: '回答', purpose: 'answer', body: '{{name}} 様' },
        { userId: staff.id, ip: IP },
      );
    versionOfB = template.versions[0].id;

    const { ticket } = await createTestTicket(moduleRef, b, { category: 'other' });
    referenceOfB = ticket.reference;
    await insertTestCall(dataSource, { merchantId: b.merchant.id, ticketId: ticket.id });
    await moduleRef
      .get(MerchantSettingsService)
      .update(
        scopeB,
        { notificationEmails: 'ops@b.example', allowedIpRanges: '' },
        { userId: adminB.id, ip: IP },
      );
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  describe('incidents and answer templates', () => {
    it("should list and show only the incidents that affect the scope's merchant", async () => {
      const incidents = moduleRef.get(IncidentService);
      expect((await incidents.listForMerchant(scopeB)).map((i) => i.id)).toEqual([incidentOfB]);
      expect(await incidents.listForMerchant(scopeA)).toEqual([]);
      await expect(incidents.getForMerchant(scopeA, incidentOfB)).rejects.toMatchObject(notFound);
      await expect(incidents.getForMerchant(scopeB, incidentOfB)).resolves.toMatchObject({
        id: incidentOfB,
      });
    });

    it("should return NotFound for another merchant's templates and decisions, writing nothing", async () => {
      const templates = moduleRef.get(AnswerTemplateService);
      await expect(templates.listForMerchant(scopeA, incidentOfB)).rejects.toMatchObject(notFound);
      await expect(
        templates.decide(scopeA, versionOfB, { decision: 'approved' }, actorA()),
      ).rejects.toMatchObject(notFound);
      expect(await dataSource.manager.countBy(AnswerApproval, { versionId: versionOfB })).toBe(0);
    });
  });

  describe('merchant settings and users', () => {
    it("should read and write the scope's merchant only", async () => {
      const settings = moduleRef.get(MerchantSettingsService);
      expect(await settings.get(scopeA)).toMatchObject({
        merchantId: a.merchant.id,
        merchantName: 'あさひ商店',
      });
      await settings.update(
        scopeA,
        { notificationEmails: 'ops@a.example', allowedIpRanges: '' },
        actorA(),
      );
      expect((await settings.get(scopeA)).notificationEmails).toEqual(['ops@a.example']);
      expect((await settings.get(scopeB)).notificationEmails).toEqual(['ops@b.example']);
    });

    it("should return NotFound for another merchant's user and change nothing", async () => {
      const users = moduleRef.get(MerchantSettingsUsersService);
      expect((await users.list(scopeA)).map((user) => user.id)).toEqual([adminA.id]);
      await expect(users.get(scopeA, adminB.id)).rejects.toMatchObject(notFound);
      await expect(users.disable(scopeA, adminB.id, actorA())).rejects.toMatchObject(notFound);
      expect(
        (await dataSource.manager.findOneByOrFail(User, { id: adminB.id })).disabledAt,
      ).toBeNull();
      await users.setTotpRequired(scopeA, true, actorA());
      expect(await users.totpRequired(scopeA)).toBe(true);
      expect(await users.totpRequired(scopeB)).toBe(false);
      expect(
        (await dataSource.manager.findOneByOrFail(Merchant, { id: b.merchant.id })).requireTotp,
      ).toBe(false);
    });
  });

  describe('the access log', () => {
    it("should hold the scope's merchant's events only, and refuse a scope without a merchant", async () => {
      const log = moduleRef.get(AccessLogService);
      const events = await dataSource.manager.find(AuditEvent, {
        where: [{ merchantId: a.merchant.id }, { merchantId: b.merchant.id }],
      });
      expect(events.some((event) => event.merchantId === b.merchant.id)).toBe(true);
      const page = await log.list(scopeA);
      expect(page.items.length).toBeGreaterThan(0);
      const shownIds = new Set(page.items.map((item) => item.id));
      for (const event of events) {
        expect(shownIds.has(event.id)).toBe(
          event.merchantId === a.merchant.id && event.actorType === 'user',
        );
      }
      expect((await log.actors(scopeA)).map((actor) => actor.id)).not.toContain(adminB.id);
      // A staff scope forced through the type: loud, never every merchant's log.
      const staffScope = { kind: 'staff', userId: staff.id, queueIds: 'all' } as const;
      await expect(log.list(staffScope as unknown as MerchantScope)).rejects.toThrow(
        'needs a merchant scope',
      );
    });
  });

  describe("the incident page's counters", () => {
    it("should count the scope's merchant's page views only", async () => {
      const faq = moduleRef.get(FaqPageService);
      await faq.countView({ site: b.site, merchant: b.merchant });
      expect((await faq.stats(scopeB)).views).toBe(1);
      expect((await faq.stats(scopeA)).views).toBe(0);
    });
  });

  describe("the merchant's names and a case's calls", () => {
    it("should name the scope's merchant and list calls of its own cases only", async () => {
      expect(await moduleRef.get(MerchantProfileService).name(scopeA)).toBe('あさひ商店');
      const calls = moduleRef.get(CallLogService);
      expect(await calls.linkedToTicket(scopeA, referenceOfB)).toEqual([]);
      expect(await calls.linkedToTicket(scopeB, referenceOfB)).toHaveLength(1);
    });
  });

  describe('the system scope of jobs', () => {
    it("should see every merchant's tickets in a system scope, its own in a merchant scope", async () => {
      const { ticket: ticketOfA } = await createTestTicket(moduleRef, a, { category: 'other' });
      const seen = async (scope: MerchantScope | ReturnType<typeof systemScope>) =>
        (await scopedTicketQuery(dataSource.manager, scope).getMany()).map((t) => t.reference);
      expect(await seen(scopeA)).toEqual([ticketOfA.reference]);
      expect(await seen(systemScope('retention'))).toEqual(
        expect.arrayContaining([ticketOfA.reference, referenceOfB]),
      );
    });

    it("should reply in a system scope in the given user's name, and refuse a merchant scope", async () => {
      const work = moduleRef.get(TicketWorkService);
      const reply = { body: 'ご連絡ありがとうございます。' };
      await expect(
        work.reply(scopeB, referenceOfB, reply, { userId: adminB.id, ip: null }),
      ).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(
        work.reply(systemScope('bulk-send'), referenceOfB, reply, {
          userId: staff.id,
          ip: null,
        }),
      ).resolves.toMatchObject({ reference: referenceOfB });
    });
  });
});
