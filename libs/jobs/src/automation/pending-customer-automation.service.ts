import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThanOrEqual, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  Clock,
  DeskEventBus,
  DomainException,
  ErrorCode,
  renderCannedResponse,
  runTransaction,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { Merchant, Site } from '@madoguchi/tenancy';
import {
  businessDaysAfter,
  Message,
  replyMail,
  Rule,
  type RuleView,
  ruleViewOf,
  statusChangeEffects,
  StatusLinkService,
  ThreadedMailService,
  Ticket,
  TicketChangedEvent,
  writeTicketChange,
} from '@madoguchi/tickets';

/** Tickets looked at in one run at most; the next run takes the rest. */
const BATCH = 200;

type Step = 'remind' | 'resolve';

/**
 * The pending-customer automation (docs/rules.md): a ticket that has waited on its customer for
 * a rule's N business days gets one reminder (the rule's text as a reply, mailed through the
 * outbox); when M more business days pass after it without an answer, the ticket is resolved
 * with the rule's closing text. The first enabled rule of the ticket's merchant (or of all
 * merchants) whose categories match decides. Only tickets with an email address take part.
 *
 * Safe with several desk instances: the reminder is claimed by a conditional UPDATE (… WHERE
 * pending_reminded_at IS NULL and the wait is the one read) in the transaction that writes the
 * reply, its mail and the audit event; the resolution writes through the ticket's version, so of
 * two workers only one resolves and the other finds the ticket changed and leaves it.
 */
@Injectable()
export class PendingCustomerAutomationService {
  private readonly logger = new Logger(PendingCustomerAutomationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly calendar: BusinessCalendar,
    private readonly cipher: FieldCipher,
    private readonly statusLinks: StatusLinkService,
    private readonly threadedMail: ThreadedMailService,
    private readonly events: DeskEventBus,
    private readonly clock: Clock,
  ) {}

  /** One pass; returns what it did (tickets reminded, tickets resolved). */
  async runDue(now: Date = this.clock.now()): Promise<{ reminded: number; resolved: number }> {
    const done = { reminded: 0, resolved: 0 };
    const rules = (
      await this.dataSource.getRepository(Rule).find({
        where: { kind: 'pending_customer', enabled: true },
        order: { position: 'ASC', id: 'ASC' },
      })
    ).map(ruleViewOf);
    if (rules.length === 0) return done;
    // A business day is at least a calendar day: nothing that entered later can be due yet.
    const shortest = Math.min(...rules.map((rule) => rule.pending?.remindAfterDays ?? 1));
    const candidates = await this.dataSource.getRepository(Ticket).find({
      select: {
        id: true,
        merchantId: true,
        category: true,
        pendingCustomerSince: true,
        pendingRemindedAt: true,
      },
      where: {
        status: 'pending_customer',
        pendingCustomerSince: LessThanOrEqual(new Date(now.getTime() - shortest * 86_400_000)),
        requesterEmail: Not(IsNull()),
        erasedAt: IsNull(),
      },
      order: { pendingCustomerSince: 'ASC', id: 'ASC' },
      take: BATCH,
    });
    for (const candidate of candidates) {
      const rule = rules.find(
        (r) =>
          (r.merchantId === null || r.merchantId === candidate.merchantId) &&
          (r.conditions.categories.length === 0 ||
            r.conditions.categories.includes(candidate.category)),
      );
      if (!rule?.pending) continue;
      const since = candidate.pendingCustomerSince as Date;
      if (candidate.pendingRemindedAt === null) {
        if (now < businessDaysAfter(this.calendar, since, rule.pending.remindAfterDays)) continue;
        if (await this.step('remind', candidate.id, since, rule, now)) done.reminded++;
      } else {
        const due = businessDaysAfter(
          this.calendar,
          candidate.pendingRemindedAt,
          rule.pending.resolveAfterDays,
        );
        if (now < due) continue;
        if (await this.step('resolve', candidate.id, since, rule, now)) done.resolved++;
      }
    }
    return done;
  }

  /** One step on one ticket in its own transaction; false when another worker or an agent was first. */
  private async step(
    step: Step,
    ticketId: number,
    since: Date,
    rule: RuleView,
    now: Date,
  ): Promise<boolean> {
    try {
      const written = await runTransaction(this.dataSource, (manager) =>
        step === 'remind'
          ? this.remind(manager, ticketId, since, rule, now)
          : this.resolve(manager, ticketId, since, rule, now),
      );
      if (written === null) return false;
      this.events.emit(
        'ticket.changed',
        new TicketChangedEvent(
          written.id,
          written.reference,
          written.merchantId,
          written.queueId,
          step === 'remind' ? 'replied' : 'status_changed',
          written.version,
        ),
      );
      return true;
    } catch (error) {
      // The ticket changed under us (an agent, the customer, the other worker): next pass decides.
      if (error instanceof DomainException && error.code === ErrorCode.StaleVersion) return false;
      throw error;
    }
  }

  private async remind(
    manager: EntityManager,
    ticketId: number,
    since: Date,
    rule: RuleView,
    now: Date,
  ): Promise<Ticket | null> {
    const claimed = await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({ pendingRemindedAt: now, updatedAt: now })
      .where('id = :ticketId', { ticketId })
      .andWhere('status = :status', { status: 'pending_customer' })
      .andWhere('pending_reminded_at IS NULL')
      .andWhere('pending_customer_since = :since', { since })
      .execute();
    if (claimed.affected !== 1) return null;
    const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: ticketId });
    const messageId = await this.sendText(manager, ticket, rule.pending?.reminderText ?? '', now);
    await this.record(manager, AUDIT_ACTIONS.rulePendingReminded, ticket, rule, messageId, now);
    return ticket;
  }

  private async resolve(
    manager: EntityManager,
    ticketId: number,
    since: Date,
    rule: RuleView,
    now: Date,
  ): Promise<Ticket | null> {
    const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: ticketId });
    if (
      ticket.status !== 'pending_customer' ||
      ticket.pendingRemindedAt === null ||
      ticket.pendingCustomerSince?.getTime() !== since.getTime()
    ) {
      return null;
    }
    // Through the version read: a concurrent change (or the other worker) makes this refuse.
    const updated = await writeTicketChange(
      manager,
      ticket,
      statusChangeEffects(ticket, 'resolved', now),
      now,
    );
    const messageId = await this.sendText(manager, ticket, rule.pending?.resolutionText ?? '', now);
    await this.record(manager, AUDIT_ACTIONS.rulePendingResolved, ticket, rule, messageId, now);
    return updated;
  }

  /** The rule's text, placeholders filled, as a reply without an author, mailed to the requester. */
  private async sendText(
    manager: EntityManager,
    ticket: Ticket,
    template: string,
    now: Date,
  ): Promise<number> {
    const to = this.cipher.decryptNullable(ticket.requesterEmail);
    const requesterName = this.cipher.decryptNullable(ticket.requesterName);
    const [merchant, site] = await Promise.all([
      manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
      ticket.siteId === null ? null : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
    ]);
    const body = renderCannedResponse(template, {
      name: requesterName,
      reference: ticket.reference,
      merchant: merchant.name,
      site: site?.displayName ?? null,
      agent: null,
    });
    const inserted = await manager.insert(Message, {
      ticketId: ticket.id,
      kind: 'reply',
      authorUserId: null,
      body: this.cipher.encrypt(body),
      deliveryState: to ? 'queued' : null,
      createdAt: now,
    });
    const messageId = Number(inserted.identifiers[0]?.id);
    if (to) {
      await this.threadedMail.enqueue(
        manager,
        ticket,
        'requester',
        replyMail({
          to,
          senderName: site?.senderName ?? merchant.name,
          siteName: site?.displayName ?? merchant.name,
          requesterName,
          reference: ticket.reference,
          body,
          messageId,
          correction: false,
          statusLink: this.statusLinks.mailLinkOf(ticket),
        }),
        { at: now, autoGenerated: true },
      );
    } else {
      this.logger.warn(`ticket ${ticket.id}: no address for the automation's mail`);
    }
    return messageId;
  }

  private record(
    manager: EntityManager,
    action: string,
    ticket: Ticket,
    rule: RuleView,
    messageId: number,
    now: Date,
  ): Promise<void> {
    return this.audit.record(
      manager,
      {
        actor: { type: 'system' },
        action,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        detail: { rule: rule.id, messageId },
      },
      now,
    );
  }
}
