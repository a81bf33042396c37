import { In } from 'typeorm';
import { AuditEvent } from '@madoguchi/audit';
import { FieldCipher, resolveCryptoKeys } from '@madoguchi/crypto';
import { OutboxJob } from '@madoguchi/mail';
import { Message, Ticket } from '@madoguchi/tickets';
import type { TestEnvironment } from './test-database';

export interface InquiryIntegrity {
  /** Every ticket reference in the database. */
  references: string[];
  /** Tickets missing their first message, their `ticket.created` audit event or their confirmation mail. */
  halfWritten: string[];
}

/**
 * Checks that every ticket in the database was written whole: its customer message, its
 * audit event and its confirmation mail in the outbox (the payload is encrypted; the mail's
 * text names the reference).
 */
export async function checkInquiryIntegrity(testEnv: TestEnvironment): Promise<InquiryIntegrity> {
  const { dataSource } = testEnv;
  const tickets = await dataSource
    .getRepository(Ticket)
    .find({ select: { id: true, reference: true } });
  const withMessage = new Set(
    (
      await dataSource.getRepository(Message).find({
        select: { ticketId: true },
        where: { kind: 'customer' },
      })
    ).map((message) => message.ticketId),
  );
  const audited = new Set(
    (
      await dataSource.getRepository(AuditEvent).find({
        select: { targetId: true },
        where: { action: 'ticket.created', targetType: 'ticket' },
      })
    ).map((event) => event.targetId),
  );
  const cipher = new FieldCipher(resolveCryptoKeys(testEnv.config));
  const mailed = new Set<string>();
  const references = tickets.map((ticket) => ticket.reference);
  const jobs = await dataSource.getRepository(OutboxJob).find({ select: { payload: true } });
  for (const job of jobs) {
    const text = (JSON.parse(cipher.decrypt(job.payload)) as { text: string }).text;
    for (const reference of references) if (text.includes(reference)) mailed.add(reference);
  }
  const halfWritten = tickets
    .filter(
      (ticket) =>
        !withMessage.has(ticket.id) ||
        !audited.has(ticket.reference) ||
        !mailed.has(ticket.reference),
    )
    .map((ticket) => ticket.reference);
  return { references, halfWritten };
}

/** The references of `wanted` that the database does not hold. */
export async function missingTickets(
  testEnv: TestEnvironment,
  wanted: string[],
): Promise<string[]> {
  if (wanted.length === 0) return [];
  const found = await testEnv.dataSource
    .getRepository(Ticket)
    .find({ select: { reference: true }, where: { reference: In(wanted) } });
  const stored = new Set(found.map((ticket) => ticket.reference));
  return wanted.filter((reference) => !stored.has(reference));
}
