import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AuditEvent } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import { runTransaction } from '@madoguchi/common';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import {
  Message,
  normaliseTicketReference,
  SLA_TARGET_HOURS,
  Ticket,
  type TicketOpening,
  TicketOpeningService,
} from '@madoguchi/tickets';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { startTicketServices } from '../support/ticket-desk-test';

const NOW = new Date('2031-04-02T01:00:00.000Z');

/** A ticket of the coming email channel: the opening every channel shares, on a real database. */
function emailOpening(tenant: TestTenant, overrides: Partial<TicketOpening> = {}): TicketOpening {
  return {
    channel: 'email',
    merchantId: tenant.merchant.id,
    siteId: tenant.site.id,
    queueId: tenant.queue.id,
    category: 'other',
    status: 'new',
    assigneeId: null,
    requester: {
      name: '山田 太郎',
      email: 'taro.yamada@example.jp',
      phone: null,
      orderNumber: 'ORD-1',
    },
    statusTokenHash: null,
    firstResponded: false,
    firstMessage: { kind: 'customer', authorUserId: null, text: '注文の確認をお願いします。' },
    audit: {
      actor: { type: 'end_user' },
      ip: null,
      detail: (messageId) => ({ mailbox: 'support', messageId }),
    },
    ...overrides,
  };
}

describe(`openTicket, the birth of a ticket for every channel (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let opening: TicketOpeningService;
  let tenant: TestTenant;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    moduleRef = await startTicketServices(testEnv);
    dataSource = moduleRef.get(DataSource);
    opening = moduleRef.get(TicketOpeningService);
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await testEnv?.cleanup();
  });

  it('should store a new ticket with a reference, SLA due times, its first message and the audit event', async () => {
    const { ticket, firstMessageId } = await runTransaction(dataSource, (manager) =>
      opening.open(manager, emailOpening(tenant), NOW),
    );
    const calendar = moduleRef.get(BusinessCalendar);
    const cipher = moduleRef.get(FieldCipher);
    const stored = await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(normaliseTicketReference(stored.reference)).toBe(stored.reference);
    const firstResponseDueAt = calendar.addBusinessHours(NOW, SLA_TARGET_HOURS.firstResponse);
    expect(stored).toMatchObject({
      channel: 'email',
      status: 'new',
      priority: 'normal',
      merchantId: tenant.merchant.id,
      queueId: tenant.queue.id,
      incidentId: null,
      firstRespondedAt: null,
      firstResponseDueAt,
      slaDueAt: firstResponseDueAt,
      resolutionDueAt: calendar.addBusinessHours(NOW, SLA_TARGET_HOURS.resolution),
      requesterEmailIndex: moduleRef.get(BlindIndex).email('taro.yamada@example.jp'),
      requesterPhone: null,
      createdAt: NOW,
    });
    // Personal data only encrypted at rest.
    expect(stored.requesterEmail).not.toContain('example.jp');
    expect(cipher.decrypt(stored.requesterName as string)).toBe('山田 太郎');

    const messages = await dataSource.getRepository(Message).findBy({ ticketId: ticket.id });
    expect(messages.map((message) => message.id)).toEqual([firstMessageId]);
    expect(messages[0]).toMatchObject({ kind: 'customer', authorUserId: null });
    expect(cipher.decrypt(messages[0].body as string)).toBe('注文の確認をお願いします。');

    const events = await dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'ticket.created', targetId: stored.reference });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: 'end_user',
      merchantId: tenant.merchant.id,
      targetType: 'ticket',
    });
    // The channel first, then the channel's own facts.
    expect(events[0].detail).toBe(
      JSON.stringify({ channel: 'email', mailbox: 'support', messageId: firstMessageId }),
    );
  });

  it('should start the resolution clock when the opening was the first response', async () => {
    const { ticket } = await runTransaction(dataSource, (manager) =>
      opening.open(manager, emailOpening(tenant, { status: 'open', firstResponded: true }), NOW),
    );
    const stored = await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(stored.firstRespondedAt).toEqual(NOW);
    expect(stored.slaDueAt).toEqual(stored.resolutionDueAt);
  });

  it('should copy a number stored elsewhere as it is', async () => {
    const phone = { ciphertext: moduleRef.get(FieldCipher).encrypt('+819012345678'), index: 'idx' };
    const { ticket } = await runTransaction(dataSource, (manager) =>
      opening.open(
        manager,
        emailOpening(tenant, { requester: { name: null, email: null, phone, orderNumber: null } }),
        NOW,
      ),
    );
    const stored = await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(stored).toMatchObject({
      requesterPhone: phone.ciphertext,
      requesterPhoneIndex: 'idx',
      requesterName: null,
      requesterEmail: null,
      requesterEmailIndex: null,
    });
  });

  it("should leave nothing behind when the caller's transaction rolls back", async () => {
    let reference = '';
    await expect(
      runTransaction(dataSource, async (manager) => {
        reference = (await opening.open(manager, emailOpening(tenant), NOW)).ticket.reference;
        throw new Error('the channel failed after the opening');
      }),
    ).rejects.toThrow('the channel failed');
    expect(reference).not.toBe('');
    await expect(dataSource.getRepository(Ticket).existsBy({ reference })).resolves.toBe(false);
    await expect(
      dataSource.getRepository(AuditEvent).existsBy({ targetId: reference }),
    ).resolves.toBe(false);
  });
});
