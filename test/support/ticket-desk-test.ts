import { Test, type TestingModule } from '@nestjs/testing';
import { AuditEvent, AuditModule } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { CalendarModule } from '@madoguchi/calendar';
import { ClockModule, DeskEventsModule } from '@madoguchi/common';
import { ConfigModule, loadConfig } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/schema';
import { MailModule } from '@madoguchi/mail';
import { TenancyModule, type TenantScope } from '@madoguchi/tenancy';
import {
  type InquiryInput,
  InquiryService,
  Ticket,
  TicketDeskModule,
  TicketScopeService,
  TicketsModule,
} from '@madoguchi/tickets';
import { IncidentDeskModule } from '@madoguchi/incident-response';
import { DataSource } from 'typeorm';
import type { TestEnvironment } from './test-database';
import type { TestTenant } from './test-tenant';

/**
 * The ticket services of the desk (and the intake's inquiry service, to make tickets) on the
 * test environment's database, without HTTP: for service-level e2e tests.
 */
export async function startTicketServices(
  testEnv: TestEnvironment,
  extraEnv: Record<string, string> = {},
): Promise<TestingModule> {
  const config = loadConfig({ ...testEnv.env, ...extraEnv });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
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
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

export const TEST_INQUIRY: InquiryInput = {
  name: '山田 太郎',
  email: 'taro.yamada@example.jp',
  phone: '090-1234-5678',
  orderNumber: 'ORD-2024-000123',
  category: 'leak_check',
  message: '私の情報は流出の対象でしょうか。',
};

/** A web inquiry through the real intake service; returns the ticket and its status token. */
export async function createTestTicket(
  moduleRef: TestingModule,
  tenant: TestTenant,
  input: Partial<InquiryInput> = {},
): Promise<{ ticket: Ticket; token: string }> {
  const submitted = await moduleRef
    .get(InquiryService)
    .submit(
      { site: tenant.site, merchant: tenant.merchant },
      { ...TEST_INQUIRY, ...input },
      { ip: '203.0.113.9' },
    );
  const ticket = await testTicket(moduleRef, submitted.reference);
  return { ticket, token: submitted.statusUrl.split('/').pop() as string };
}

export function testTicket(moduleRef: TestingModule, reference: string): Promise<Ticket> {
  return moduleRef.get(DataSource).getRepository(Ticket).findOneByOrFail({ reference });
}

export function scopeOf(moduleRef: TestingModule, user: User): Promise<TenantScope> {
  return moduleRef.get(TicketScopeService).forUser(user);
}

/** Audit rows of one action on one ticket, oldest first. */
export function auditRows(
  moduleRef: TestingModule,
  action: string,
  reference?: string,
): Promise<AuditEvent[]> {
  return moduleRef
    .get(DataSource)
    .getRepository(AuditEvent)
    .find({
      where: { action, ...(reference ? { targetId: reference } : {}) },
      order: { id: 'ASC' },
    });
}
