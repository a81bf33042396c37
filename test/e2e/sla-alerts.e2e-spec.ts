import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { SlaAlertService } from '@madoguchi/jobs';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
import {
  SlaAlert,
  SlaAlertMark,
  SlaAlertRecipient,
  SlaNotificationService,
  Ticket,
} from '@madoguchi/tickets';
import { createTestUser } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { auditRows, createTestTicket, startTicketServices } from '../support/ticket-desk-test';

const MINUTE = 60_000;

/** The alert service of one desk instance (its own data source and pool). */
function alertServiceOf(moduleRef: TestingModule): SlaAlertService {
  return new SlaAlertService(
    moduleRef.get(DataSource),
    moduleRef.get(BusinessCalendar),
    moduleRef.get(OutboxService),
    moduleRef.get(AppConfig),
    moduleRef.get(Clock),
  );
}

describe(`SLA due-soon and breach alerts to the queue's supervisors (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let first: TestingModule;
  let second: TestingModule;
  let dataSource: DataSource;
  let tenant: TestTenant;
  let supervisor: User;
  let mailed: User;
  let outsider: User;
  let notifications: SlaNotificationService;
  // A Tuesday 14:00 in Tokyo: two business hours ahead is 16:00 the same day.
  const now = new Date('2027-01-12T05:00:00Z');

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    first = await startTicketServices(testEnv);
    // Two desk instances share one database on MariaDB only (scale-out); on SQLite the second
    // worker runs in the same process, where transactions run one after another.
    second = TEST_DB === 'mysql' ? await startTicketServices(testEnv) : first;
    dataSource = first.get(DataSource);
    notifications = first.get(SlaNotificationService);
    tenant = await createTestTenant(dataSource);
    supervisor = await createTestUser(dataSource, {
      role: 'supervisor',
      queueIds: [tenant.queue.id],
    });
    mailed = await createTestUser(dataSource, { role: 'supervisor', queueIds: [tenant.queue.id] });
    // A supervisor of another queue hears nothing of this one.
    const other = await createTestTenant(dataSource);
    outsider = await createTestUser(dataSource, { role: 'supervisor', queueIds: [other.queue.id] });
    await notifications.setMail({ userId: mailed.id, ip: '192.0.2.1' }, true);
  });

  afterAll(async () => {
    if (second !== first) await second?.close();
    await first?.close();
    await testEnv?.cleanup();
  });

  async function ticketDue(slaDueAt: Date): Promise<Ticket> {
    const { ticket } = await createTestTicket(first, tenant);
    await dataSource.getRepository(Ticket).update({ id: ticket.id }, { slaDueAt });
    return { ...ticket, slaDueAt };
  }

  it('should not alert deadlines that passed before the worker first ran', async () => {
    const old = await ticketDue(new Date(now.getTime() - 60 * MINUTE));
    await alertServiceOf(first).runOnce(now);
    expect(await dataSource.getRepository(SlaAlertMark).findOneBy({ name: 'first_run' })).toEqual({
      name: 'first_run',
      at: now,
    });
    expect(await dataSource.getRepository(SlaAlert).countBy({ ticketId: old.id })).toBe(0);
  });

  it('should alert once per ticket and kind even with two workers, to the queue’s supervisors', async () => {
    const soon = await ticketDue(new Date(now.getTime() + 90 * MINUTE));
    const later = await ticketDue(new Date(now.getTime() + 5 * 60 * MINUTE));
    const mailsBefore = await dataSource.getRepository(OutboxJob).count();
    const rounds = await Promise.all([
      alertServiceOf(first).runOnce(now),
      alertServiceOf(second).runOnce(now),
    ]);
    expect(rounds.reduce((sum, round) => sum + round.dueSoon, 0)).toBe(1);
    const alerts = await dataSource.getRepository(SlaAlert).findBy({ ticketId: soon.id });
    expect(alerts).toMatchObject([{ kind: 'due_soon', deadline: soon.slaDueAt }]);
    expect(await dataSource.getRepository(SlaAlert).countBy({ ticketId: later.id })).toBe(0);
    const recipients = await dataSource
      .getRepository(SlaAlertRecipient)
      .findBy({ alertId: alerts[0].id });
    expect(recipients.map((row) => row.userId).sort((a, b) => a - b)).toEqual(
      [supervisor.id, mailed.id].sort((a, b) => a - b),
    );
    // One mail, to the supervisor who opted in.
    expect(await dataSource.getRepository(OutboxJob).count()).toBe(mailsBefore + 1);

    // The deadline passes: a breach alert, once, again with two workers.
    const after = new Date(soon.slaDueAt!.getTime() + MINUTE);
    await Promise.all([
      alertServiceOf(first).runOnce(after),
      alertServiceOf(second).runOnce(after),
    ]);
    await alertServiceOf(first).runOnce(after);
    expect(
      (await dataSource.getRepository(SlaAlert).findBy({ ticketId: soon.id }))
        .map((alert) => alert.kind)
        .sort(),
    ).toEqual(['breached', 'due_soon']);
    expect(await dataSource.getRepository(OutboxJob).count()).toBe(mailsBefore + 2);
  });

  it('should show a supervisor their alerts, count the unread and mark them read', async () => {
    const list = await notifications.list(supervisor.id);
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list[0]).toMatchObject({ kind: 'breached', read: false, queueName: tenant.queue.name });
    expect(await notifications.unreadCount(supervisor.id)).toBe(list.length);
    expect(await notifications.list(outsider.id)).toEqual([]);
    // Another user's alert id changes nothing for them.
    expect(await notifications.markRead(outsider.id, list[0].alertId)).toBe(0);
    expect(await notifications.markRead(supervisor.id, list[0].alertId)).toBe(1);
    expect(await notifications.unreadCount(supervisor.id)).toBe(list.length - 1);
    expect(await notifications.unreadCount(mailed.id)).toBe(list.length);
    await notifications.markRead(supervisor.id, null);
    expect(await notifications.unreadCount(supervisor.id)).toBe(0);
  });

  it('should record the mail opt-in change in the audit trail', async () => {
    const rows = await auditRows(first, AUDIT_ACTIONS.slaAlertMailChanged);
    expect(rows.some((row) => row.actorId === mailed.id)).toBe(true);
    await notifications.setMail({ userId: mailed.id, ip: null }, false);
    await notifications.setMail({ userId: mailed.id, ip: null }, false);
    expect(await notifications.mailOptedIn(mailed.id)).toBe(false);
    expect(
      (await auditRows(first, AUDIT_ACTIONS.slaAlertMailChanged)).filter(
        (row) => row.actorId === mailed.id,
      ),
    ).toHaveLength(2);
  });
});
