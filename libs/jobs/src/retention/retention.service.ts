import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThan, MoreThan } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, runTransaction } from '@madoguchi/common';
import { OutboxJob } from '@madoguchi/mail';
import { Merchant } from '@madoguchi/tenancy';
import {
  eraseAttachmentsOfTickets,
  IdempotencyKey,
  Message,
  ReplyAddress,
  Ticket,
} from '@madoguchi/tickets';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 100;

/** What one retention run did. */
export interface RetentionResult {
  /** Tickets this run erased (a ticket another instance erased first is not counted). */
  erased: number;
}

/**
 * Erases the personal data of tickets closed longer ago than their merchant's retention days.
 * The row stays (status, category, channel, dates), so statistics keep their counts; the
 * requester fields and their blind indexes, the status token, every message body, the intake's
 * idempotency records (they hold the status URL), the outbox mails written about the ticket
 * (addresses, bodies), the attachments of its messages (issue 14) and the caller number and recording URL of linked calls go. One transaction per ticket, led by a conditional UPDATE
 * (`erased_at IS NULL`): of several instances racing for one ticket exactly one erases and
 * audits it, and a second run finds nothing to do.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async eraseDue(now: Date = this.clock.now()): Promise<RetentionResult> {
    const merchants = await this.dataSource
      .getRepository(Merchant)
      .find({ select: { id: true, retentionDays: true }, order: { id: 'ASC' } });
    let erased = 0;
    for (const merchant of merchants) {
      const cutoff = new Date(now.getTime() - merchant.retentionDays * DAY_MS);
      // Keyset over ids, so a ticket that fails to erase is not retried in a loop this run.
      let afterId = 0;
      for (;;) {
        const due = await this.dataSource.getRepository(Ticket).find({
          select: { id: true, reference: true, merchantId: true },
          where: {
            merchantId: merchant.id,
            // closed is final (nothing follows it), so its personal data can no longer be needed.
            status: 'closed',
            closedAt: LessThan(cutoff),
            erasedAt: IsNull(),
            id: MoreThan(afterId),
          },
          order: { id: 'ASC' },
          take: BATCH,
        });
        for (const ticket of due) {
          afterId = ticket.id;
          if (await this.eraseOne(ticket, now)) erased++;
        }
        if (due.length < BATCH) break;
      }
    }
    if (erased > 0) this.logger.log(`retention erased the personal data of ${erased} ticket(s)`);
    return { erased };
  }

  private eraseOne(
    ticket: Pick<Ticket, 'id' | 'reference' | 'merchantId'>,
    now: Date,
  ): Promise<boolean> {
    return runTransaction(this.dataSource, async (manager) => {
      // First, and conditional: it takes the row lock and decides which instance erases.
      const { affected } = await manager
        .createQueryBuilder()
        .update(Ticket)
        .set({
          requesterName: null,
          requesterEmail: null,
          requesterEmailIndex: null,
          requesterPhone: null,
          requesterPhoneIndex: null,
          orderNumber: null,
          orderNumberIndex: null,
          statusTokenHash: null,
          statusToken: null,
          erasedAt: now,
          updatedAt: now,
          version: () => 'version + 1',
        })
        .where('id = :id AND erased_at IS NULL', { id: ticket.id })
        .execute();
      if (affected !== 1) return false;
      const messages = await this.eraseMessages(manager, ticket.id);
      // Issue 14: the files on its messages, names and bytes.
      const attachments = await eraseAttachmentsOfTickets(manager, [ticket.id]);
      // The record of a key holds the (encrypted) status URL; without the ticket's token it
      // is useless, and the key's replay window is long over after the retention period.
      const idempotency = await manager
        .createQueryBuilder()
        .delete()
        .from(IdempotencyKey)
        .where('ticket_id = :id', { id: ticket.id })
        .execute();
      const calls = await this.eraseCalls(manager, ticket.id, now);
      // Issue 14: its reply addresses stop working (a late reply is then simply unmatched).
      await manager.delete(ReplyAddress, { ticketId: ticket.id });
      // Issue 13.1: an agent's reason for a determination may name the person; the outcome stays.
      // By table name, like the calls below: the entity lives in @madoguchi/incident-response.
      await manager
        .createQueryBuilder()
        .update('ticket_determinations')
        .set({ reason: null })
        .where('ticket_id = :id AND reason IS NOT NULL', { id: ticket.id })
        .execute();
      // Its mails (sent, dead or still pending) hold the requester's address and the bodies.
      const mails = await manager
        .createQueryBuilder()
        .delete()
        .from(OutboxJob)
        .where('ticket_id = :id', { id: ticket.id })
        .execute();
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.ticketErased,
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
          detail: {
            messages,
            idempotencyKeys: idempotency.affected ?? 0,
            calls,
            mails: mails.affected ?? 0,
            attachments,
          },
        },
        now,
      );
      return true;
    });
  }

  private async eraseMessages(manager: EntityManager, ticketId: number): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Message)
      // An edited approved answer's diff (issue 13.2) holds message text too.
      .set({ body: null, answerDiff: null })
      .where('ticket_id = :ticketId AND body IS NOT NULL', { ticketId })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * By table name, not class: the Call entity lives in @madoguchi/calls, a sibling of this lib
   * over tickets, and siblings do not import each other. TypeORM still maps the properties.
   */
  private async eraseCalls(manager: EntityManager, ticketId: number, now: Date): Promise<number> {
    // A voicemail kept in the desk (issue 15) goes with the ticket: its sealed audio and the
    // call's callback note.
    await manager
      .createQueryBuilder()
      .delete()
      .from('call_recording_parts')
      .where('call_id IN (SELECT id FROM calls WHERE ticket_id = :ticketId)', { ticketId })
      .execute();
    const result = await manager
      .createQueryBuilder()
      .update('calls')
      .set({
        fromNumber: null,
        fromIndex: null,
        recordingUrl: null,
        recordingStoredAt: null,
        callbackNote: null,
        updatedAt: now,
      })
      .where(
        'ticket_id = :ticketId AND ' +
          '(from_number IS NOT NULL OR from_index IS NOT NULL OR recording_url IS NOT NULL' +
          ' OR recording_stored_at IS NOT NULL OR callback_note IS NOT NULL)',
        { ticketId },
      )
      .execute();
    return result.affected ?? 0;
  }
}
