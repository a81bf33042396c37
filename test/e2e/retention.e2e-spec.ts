import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { AUDIT_ACTIONS, AuditModule } from '@madoguchi/audit';
import { CalendarModule } from '@madoguchi/calendar';
import { Call } from '@madoguchi/calls';
import { ClockModule, DeskEventsModule, ErrorCode } from '@madoguchi/common';
import { ConfigModule, loadConfig } from '@madoguchi/config';
import { CryptoModule, FieldCipher } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/schema';
import { MailModule, OutboxJob } from '@madoguchi/mail';
import { Merchant, TenancyModule } from '@madoguchi/tenancy';
import {
  IdempotencyKey,
  Message,
  ReplyAddress,
  StatusPageService,
  Ticket,
  TicketDeskModule,
  TicketsModule,
} from '@madoguchi/tickets';
import { IncidentDeskModule } from '@madoguchi/incident-response';
import { RetentionService, TicketJobsModule } from '@madoguchi/jobs';
import { dumpDatabase } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { auditRows, createTestTicket, testTicket } from '../support/ticket-desk-test';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2031-03-01T03:00:00.000Z');

describe(`retention erasure (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let retention: RetentionService;
  let tenant: TestTenant;
  let requesters = 0;

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
    retention = moduleRef.get(RetentionService);
    tenant = await createTestTenant(testEnv.dataSource);
    await testEnv.dataSource
      .getRepository(Merchant)
      .update({ id: tenant.merchant.id }, { retentionDays: 30 });
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  /** A ticket through the real intake, then moved straight to `status` with a closing date. */
  async function ticketClosed(closedDaysAgo: number | null, order: string) {
    // A requester of its own per ticket: blind indexes of one person are equal across tickets.
    const { ticket, token } = await createTestTicket(moduleRef, tenant, {
      orderNumber: order,
      email: `${order.toLowerCase()}@example.jp`,
      phone: `090-${String(++requesters).padStart(4, '0')}-5678`,
    });
    if (closedDaysAgo !== null) {
      await testEnv.dataSource.getRepository(Ticket).update(
        { id: ticket.id },
        {
          status: 'closed',
          resolvedAt: new Date(NOW.getTime() - (closedDaysAgo + 1) * DAY_MS),
          closedAt: new Date(NOW.getTime() - closedDaysAgo * DAY_MS),
        },
      );
    }
    return { ticket: await testTicket(moduleRef, ticket.reference), token };
  }

  /** Every stored secret of a ticket: requester ciphertexts, indexes, token hash, bodies. */
  async function secretsOf(ticket: Ticket): Promise<string[]> {
    const messages = await testEnv.dataSource
      .getRepository(Message)
      .findBy({ ticketId: ticket.id });
    return [
      ticket.requesterName,
      ticket.requesterEmail,
      ticket.requesterEmailIndex,
      ticket.requesterPhone,
      ticket.requesterPhoneIndex,
      ticket.orderNumber,
      ticket.orderNumberIndex,
      ticket.statusTokenHash,
      ticket.statusToken,
      ...messages.map((message) => message.body),
    ].filter((value): value is string => typeof value === 'string' && value !== '');
  }

  it('should erase exactly the tickets closed longer than the retention days, keep the rest, and audit once', async () => {
    const cipher = moduleRef.get(FieldCipher);
    const due = await ticketClosed(31, 'ORD-DUE-0001');
    const notYetDue = await ticketClosed(29, 'ORD-KEEP-0002');
    const open = await ticketClosed(null, 'ORD-OPEN-0003');
    const callerCiphertext = cipher.encrypt('+819012345678');
    await testEnv.dataSource.getRepository(Call).insert({
      callSid: `CA${'1'.repeat(32)}`,
      fromNumber: callerCiphertext,
      fromIndex: 'f'.repeat(64),
      callerIdWithheld: false,
      toNumber: '+81367447492',
      status: 'completed',
      merchantId: tenant.merchant.id,
      ticketId: due.ticket.id,
      // Sealed, as the recorder stores them (ENCRYPTED_COLUMNS).
      recordingSid: moduleRef.get(FieldCipher).encrypt(`RE${'2'.repeat(32)}`),
      recordingUrl: moduleRef.get(FieldCipher).encrypt('https://api.twilio.test/recordings/RE2'),
      createdAt: NOW,
      updatedAt: NOW,
    });
    const idempotencyCiphertext = cipher.encrypt(`http://intake.test/status/${due.token}`);
    await testEnv.dataSource.getRepository(IdempotencyKey).insert({
      siteId: tenant.site.id,
      keyHash: 'a'.repeat(64),
      requestDigest: 'b'.repeat(64),
      ticketId: due.ticket.id,
      response: idempotencyCiphertext,
      createdAt: NOW,
    });
    const dueSecrets = await secretsOf(due.ticket);
    const keptSecrets = [...(await secretsOf(notYetDue.ticket)), ...(await secretsOf(open.ticket))];
    expect(dueSecrets.length).toBeGreaterThanOrEqual(9);

    const result = await retention.eraseDue(NOW);

    expect(result.erased).toBe(1);
    const erased = await testTicket(moduleRef, due.ticket.reference);
    expect(erased).toMatchObject({
      requesterName: null,
      requesterEmail: null,
      requesterEmailIndex: null,
      requesterPhone: null,
      requesterPhoneIndex: null,
      orderNumber: null,
      orderNumberIndex: null,
      statusTokenHash: null,
      statusToken: null,
      // Statistics keep the row's facts.
      status: 'closed',
      category: due.ticket.category,
      channel: due.ticket.channel,
      createdAt: due.ticket.createdAt,
      version: due.ticket.version + 1,
    });
    expect(erased.erasedAt?.getTime()).toBe(NOW.getTime());
    const bodies = await testEnv.dataSource
      .getRepository(Message)
      .findBy({ ticketId: due.ticket.id });
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((message) => message.body === null)).toBe(true);
    expect(
      await testEnv.dataSource.getRepository(IdempotencyKey).countBy({ ticketId: due.ticket.id }),
    ).toBe(0);
    // Issue 14: its reply address stops working; the others' stay.
    const replyAddresses = testEnv.dataSource.getRepository(ReplyAddress);
    expect(await replyAddresses.countBy({ ticketId: due.ticket.id })).toBe(0);
    expect(await replyAddresses.countBy({ ticketId: notYetDue.ticket.id })).toBe(1);
    const call = await testEnv.dataSource
      .getRepository(Call)
      .findOneByOrFail({ ticketId: due.ticket.id });
    expect(call).toMatchObject({ fromNumber: null, fromIndex: null, recordingUrl: null });

    const dump = await dumpDatabase(testEnv);
    for (const secret of [...dueSecrets, callerCiphertext, idempotencyCiphertext]) {
      expect(dump).not.toContain(secret);
    }
    for (const secret of keptSecrets) expect(dump).toContain(secret);
    expect(dump).not.toContain('ORD-DUE-0001');

    for (const kept of [notYetDue, open]) {
      const stored = await testTicket(moduleRef, kept.ticket.reference);
      expect(stored.erasedAt).toBeNull();
      expect(stored.requesterEmail).toBe(kept.ticket.requesterEmail);
    }

    const audits = await auditRows(moduleRef, AUDIT_ACTIONS.ticketErased, due.ticket.reference);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: 'system', merchantId: tenant.merchant.id });
    expect(JSON.parse(audits[0].detail ?? '{}')).toEqual({
      messages: bodies.length,
      idempotencyKeys: 1,
      calls: 1,
      // Its confirmation mail (address, status link) went with it.
      mails: 1,
      // It had no files (test/e2e/attachments.e2e-spec.ts erases some).
      attachments: 0,
    });
    expect(
      await testEnv.dataSource.getRepository(OutboxJob).countBy({ ticketId: due.ticket.id }),
    ).toBe(0);

    // The status page of an erased ticket is gone (404), the kept one still answers.
    const statusPage = moduleRef.get(StatusPageService);
    await expect(statusPage.view(due.token, null)).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    await expect(statusPage.view(notYetDue.token, null)).resolves.toBeDefined();
  });

  it('should do nothing on a second run, even two at once, and audit no ticket twice', async () => {
    const due = await ticketClosed(40, 'ORD-DUE-0004');

    const [first, second] = await Promise.all([retention.eraseDue(NOW), retention.eraseDue(NOW)]);
    const third = await retention.eraseDue(NOW);

    expect(first.erased + second.erased).toBe(1);
    expect(third.erased).toBe(0);
    expect(
      await auditRows(moduleRef, AUDIT_ACTIONS.ticketErased, due.ticket.reference),
    ).toHaveLength(1);
  });

  it('should erase a kept ticket once its retention period has passed', async () => {
    const ticket = await ticketClosed(29, 'ORD-LATER-0005');

    expect((await retention.eraseDue(NOW)).erased).toBe(0);
    expect((await retention.eraseDue(new Date(NOW.getTime() + 2 * DAY_MS))).erased).toBe(
      // The 29-day ticket of the first test and this one.
      2,
    );
    expect((await testTicket(moduleRef, ticket.ticket.reference)).erasedAt).not.toBeNull();
  });
});
