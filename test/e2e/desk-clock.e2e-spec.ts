import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { BusinessCalendar } from '@madoguchi/calendar';
import { FixedClock } from '@madoguchi/common';
import { InquiryService, SLA_TARGET_HOURS, Ticket } from '@madoguchi/tickets';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { TEST_INQUIRY } from '../support/ticket-desk-test';

/**
 * The apps decide by the Clock given to their factories (ClockModule), not the machine's time: a
 * ticket born in the intake under a fixed clock has that birth time and SLA, and the desk's queue
 * counts turn "breached" when the clock, and only the clock, passes its due time.
 */
describe(`the desk's injected clock (${TEST_DB})`, () => {
  // A Monday, 10:00 in Tokyo: inside business hours, years away from the machine's time.
  const bornAt = new Date('2031-06-02T01:00:00.000Z');
  const clock = new FixedClock(bornAt);
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let agentEmail: string;
  let ticket: Ticket;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv, {}, { clock });
    intake = await startIntakeApp(testEnv, {}, { clock });
    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    agentEmail = agent.email;
    const submitted = await intake
      .get(InquiryService)
      .submit({ site: tenant.site, merchant: tenant.merchant }, TEST_INQUIRY, {
        ip: '203.0.113.9',
      });
    ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: submitted.reference });
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  async function queueSla(): Promise<Record<string, number>> {
    // A fresh login at the clock's time: a session's expiry follows the same clock.
    const session = await loginAs(desk, agentEmail);
    const response = await request(desk.getHttpServer())
      .get('/api/v1/queues')
      .set('cookie', session.cookie)
      .expect(200);
    const queues = response.body as { id: number; countsBySla: Record<string, number> }[];
    return queues.find((queue) => queue.id === tenant.queue.id)!.countsBySla;
  }

  it('gives a new ticket the fixed time as its birth and its SLA from it', () => {
    const firstResponseDue = new BusinessCalendar().addBusinessHours(
      bornAt,
      SLA_TARGET_HOURS.firstResponse,
    );
    expect(ticket.createdAt.getTime()).toBe(bornAt.getTime());
    expect(ticket.firstResponseDueAt?.getTime()).toBe(firstResponseDue.getTime());
    expect(ticket.slaDueAt?.getTime()).toBe(firstResponseDue.getTime());
  });

  it('counts the ticket on track, then breached once the clock passes its due time', async () => {
    expect(await queueSla()).toEqual({ breached: 0, due_soon: 0, on_track: 1 });

    clock.set(new Date(ticket.slaDueAt!.getTime() + 60_000));
    expect(await queueSla()).toEqual({ breached: 1, due_soon: 0, on_track: 0 });
  });
});
