import { randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import { Clock, NotFoundException, renderCannedResponse, runTransaction } from '@madoguchi/common';
import { BlindIndex, FieldCipher, foldWidth } from '@madoguchi/crypto';
import { ApprovedAnswerService, type Incident } from '@madoguchi/incidents';
import { Merchant, Site } from '@madoguchi/tenancy';
import {
  StatusLinkService,
  ThreadedMailService,
  ticketAuditSubject,
  tokenHashOf,
  Ticket,
} from '@madoguchi/tickets';
import { affectedListMatch, incidentOfTicket } from '../affected-list/affected-list-match.util';
import {
  currentDetermination,
  flagForReview,
  newestListUploadId,
  retryWhenListChanged,
  writeDetermination,
} from '../determination/determination.rules';
import { LeakCheckCode, type LeakCheckResult } from './leak-check-code.entity';
import { leakCheckCodeMail } from './leak-check-code-mail.template';

export const LEAK_CHECK_CODE_TTL_MINUTES = 10;
/** Wrong entries a code survives; the fifth wrong one kills it. */
export const LEAK_CHECK_MAX_ATTEMPTS = 5;
/**
 * Codes one person may be sent in any hour: counted per email (its blind index) across all the
 * tickets that carry it, so filing more tickets with the same email does not buy more codes.
 */
export const LEAK_CHECK_CODES_PER_HOUR = 3;
/** Codes one client address may have sent in any hour, whatever the emails. */
export const LEAK_CHECK_CODES_PER_IP_PER_HOUR = 20;
/** Wrong entries per email (across its tickets and codes) in any 24 hours before checks stop. */
export const LEAK_CHECK_WRONG_PER_EMAIL_PER_DAY = 15;
/** Code checks (right or wrong) per client address in any hour before checks stop. */
export const LEAK_CHECK_CHECKS_PER_IP_PER_HOUR = 60;

/** What the status page offers on a ticket; null: nothing (not leak_check, or no incident). */
export type LeakCheckOffer =
  | { kind: 'offered'; codePending: boolean }
  /** A leak_check ticket without email (a phone ticket): the check cannot prove ownership. */
  | { kind: 'no_email' };

export type LeakCheckRequestOutcome = 'sent' | 'rate_limited';

export type LeakCheckVerification =
  | {
      outcome: 'verified';
      result: LeakCheckResult;
      /** The merchant-approved answer, placeholders filled; null: none approved (neutral text). */
      answer: string | null;
    }
  | { outcome: 'wrong'; remaining: number }
  | { outcome: 'expired' | 'exhausted' | 'no_code' | 'invalid_format' };

interface Checkable {
  ticket: Ticket;
  incident: Incident;
}

/**
 * The end user's "was my data included?" check on a leak_check ticket's status page: a
 * one-time 6-digit code mailed to the ticket's email (through the outbox, in the site's sender
 * name), then the merchant-approved answer for included / not included. Codes are kept as a
 * keyed hash, expire, are single-use, allow a few wrong tries; codes and wrong tries are budgeted
 * per person (the email's blind index, across every ticket with that email) and per client
 * address, never per ticket alone; every request and check is audited with its outcome and no
 * values.
 *
 * The answer rests on the email the end user proved: "included" when the email is on the list;
 * "not included" only when the list holds emails and none of the ticket's email, phone or
 * order number is on it; anything else (a phone or order match alone, no list yet) gets the
 * neutral text and is left to the agent, who sees which value matched.
 */
@Injectable()
export class LeakCheckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
    private readonly cipher: FieldCipher,
    private readonly threadedMail: ThreadedMailService,
    private readonly statusLinks: StatusLinkService,
    private readonly audit: AuditService,
    private readonly answers: ApprovedAnswerService,
    private readonly clock: Clock,
  ) {}

  async offer(token: string): Promise<LeakCheckOffer | null> {
    const manager = this.dataSource.manager;
    const ticket = await this.ticketByToken(manager, token, false);
    if (ticket.category !== 'leak_check') return null;
    if ((await incidentOfTicket(manager, ticket)) === null) return null;
    if (ticket.requesterEmail === null) return { kind: 'no_email' };
    const code = await this.newestCode(manager, ticket.id);
    const now = this.clock.now();
    return { kind: 'offered', codePending: code !== null && isLive(code, now) };
  }

  /**
   * Mails a new code (the older ones stop counting), unless the hourly budget of the person (the
   * ticket's email, across every ticket with that email) or of the client address is spent.
   */
  async requestCode(token: string, ip: string | null): Promise<LeakCheckRequestOutcome> {
    return runTransaction(this.dataSource, async (manager) => {
      const { ticket } = await this.checkable(manager, token);
      const now = this.clock.now();
      const hourAgo = new Date(now.getTime() - 3600_000);
      const [byEmail, byIp] = await Promise.all([
        this.codesOfEmailSince(manager, ticket, hourAgo),
        ip === null
          ? 0
          : this.auditCountSince(
              manager,
              AUDIT_ACTIONS.leakCheckCodeRequested,
              ip,
              hourAgo,
              'sent',
            ),
      ]);
      const outcome: LeakCheckRequestOutcome =
        byEmail >= LEAK_CHECK_CODES_PER_HOUR || byIp >= LEAK_CHECK_CODES_PER_IP_PER_HOUR
          ? 'rate_limited'
          : 'sent';
      if (outcome === 'sent') {
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        await manager.insert(LeakCheckCode, {
          ticketId: ticket.id,
          codeHash: this.codeHash(ticket.id, code),
          attempts: 0,
          createdAt: now,
          expiresAt: new Date(now.getTime() + LEAK_CHECK_CODE_TTL_MINUTES * 60_000),
          usedAt: null,
          result: null,
        });
        const site = await manager.getRepository(Site).findOneByOrFail({ id: ticket.siteId ?? -1 });
        await this.threadedMail.enqueue(
          manager,
          ticket,
          'requester',
          leakCheckCodeMail({
            to: this.cipher.decrypt(ticket.requesterEmail as string),
            senderName: site.senderName,
            siteName: site.displayName,
            reference: ticket.reference,
            code,
            validMinutes: LEAK_CHECK_CODE_TTL_MINUTES,
            // The page it was asked from: its token is the one in hand, old ticket or new.
            statusUrl: this.statusLinks.urlOf(token),
          }),
          // Sent by a machine on request: other desks' auto-responders must not answer it.
          { at: now, autoGenerated: true },
        );
      }
      await this.audit
        .by({ endUser: true, ip }, manager, now)
        .record(AUDIT_ACTIONS.leakCheckCodeRequested, ticketAuditSubject(ticket), { outcome });
      return outcome;
    });
  }

  /** Checks a code against the ticket's newest one; the right code is spent at once. */
  async verify(token: string, input: string, ip: string | null): Promise<LeakCheckVerification> {
    const code = foldWidth(input).trim();
    // Run again when a list upload lands mid-check (determination.rules, listUploadIdUnderLock).
    const checked = await retryWhenListChanged(() =>
      runTransaction(this.dataSource, async (manager) => {
        const { ticket, incident } = await this.checkable(manager, token);
        const now = this.clock.now();
        const outcome = await this.check(manager, ticket, incident, code, now, ip);
        await this.audit
          .by({ endUser: true, ip }, manager, now)
          .record(
            AUDIT_ACTIONS.leakCheckCodeChecked,
            ticketAuditSubject(ticket),
            outcome.outcome === 'verified'
              ? { outcome: outcome.outcome, result: outcome.result }
              : { outcome: outcome.outcome },
          );
        return { outcome, ticket, incident };
      }),
    );
    const { outcome, ticket, incident } = checked;
    if (outcome.outcome !== 'verified') return outcome;
    return { ...outcome, answer: await this.answerFor(ticket, incident, outcome.result) };
  }

  private async check(
    manager: EntityManager,
    ticket: Ticket,
    incident: Incident,
    code: string,
    now: Date,
    ip: string | null,
  ): Promise<
    | Exclude<LeakCheckVerification, { outcome: 'verified' }>
    | { outcome: 'verified'; result: LeakCheckResult }
  > {
    if (!/^\d{6}$/.test(code)) return { outcome: 'invalid_format' };
    const stored = await this.newestCode(manager, ticket.id);
    if (stored === null || stored.usedAt !== null) return { outcome: 'no_code' };
    if (stored.attempts >= LEAK_CHECK_MAX_ATTEMPTS) return { outcome: 'exhausted' };
    if (await this.budgetSpent(manager, ticket, ip, now)) return { outcome: 'exhausted' };
    if (stored.expiresAt.getTime() <= now.getTime()) return { outcome: 'expired' };
    const codes = manager.getRepository(LeakCheckCode);
    if (!hashesEqual(this.codeHash(ticket.id, code), stored.codeHash)) {
      // Conditional, so concurrent wrong entries never push a code past its limit unseen.
      const counted = await codes
        .createQueryBuilder()
        .update(LeakCheckCode)
        .set({ attempts: () => 'attempts + 1' })
        .where('id = :id AND attempts < :max AND used_at IS NULL', {
          id: stored.id,
          max: LEAK_CHECK_MAX_ATTEMPTS,
        })
        .execute();
      if (counted.affected !== 1) return { outcome: 'exhausted' };
      const remaining = LEAK_CHECK_MAX_ATTEMPTS - stored.attempts - 1;
      return remaining > 0 ? { outcome: 'wrong', remaining } : { outcome: 'exhausted' };
    }
    const result = await this.resultFor(manager, ticket, incident);
    // Spent here and only once: a second request with the same code touches no row.
    const spent = await codes
      .createQueryBuilder()
      .update(LeakCheckCode)
      .set({ usedAt: now, result })
      .where('id = :id AND used_at IS NULL AND attempts < :max', {
        id: stored.id,
        max: LEAK_CHECK_MAX_ATTEMPTS,
      })
      .execute();
    if (spent.affected !== 1) return { outcome: 'no_code' };
    // What the end user is shown comes from the determination record, never from the match alone.
    const shown = await this.determine(manager, ticket, incident, result, now, ip);
    if (shown !== result) {
      await codes.update({ id: stored.id }, { result: shown });
    }
    return { outcome: 'verified', result: shown };
  }

  /**
   * Issue 13.1: the verified check writes the evidence-based determination (the email proved by
   * the code is on / not on the newest list), superseding an earlier evidence-based one, and
   * returns what the end user may be shown: the current determination's outcome, or
   * `undetermined` (the neutral text). An agent's determination is never overridden here: the
   * same outcome stands as it is; the other outcome flags it for review and the end user gets
   * the neutral text until an agent looks again.
   */
  private async determine(
    manager: EntityManager,
    ticket: Ticket,
    incident: Incident,
    result: LeakCheckResult,
    now: Date,
    ip: string | null,
  ): Promise<LeakCheckResult> {
    const standing = await currentDetermination(manager, ticket.id, true);
    // A determination about another incident (a ticket without one of its own, and a newer
    // incident now affects the merchant) says nothing about this incident's list.
    const current = standing !== null && standing.incidentId === incident.id ? standing : null;
    // Flagged for review: it waits for an agent; a new check neither shows nor replaces it.
    if (current !== null && current.reviewFlaggedAt !== null) return 'undetermined';
    if (result === 'undetermined') {
      // The list alone proves nothing here; a standing determination still speaks for itself.
      return current !== null && current.reviewFlaggedAt === null
        ? current.outcome
        : 'undetermined';
    }
    if (current !== null && current.evidence === 'agent') {
      if (current.outcome === result) {
        return current.reviewFlaggedAt === null ? result : 'undetermined';
      }
      if (current.reviewFlaggedAt === null) {
        await flagForReview(manager, [current.id], 'verification_differs', null, now);
        await this.audit
          .by({ endUser: true, ip }, manager, now)
          .record(AUDIT_ACTIONS.determinationReviewFlagged, ticketAuditSubject(ticket), {
            determinationId: current.id,
            reason: 'verification_differs',
          });
      }
      return 'undetermined';
    }
    const evidence =
      result === 'included' ? 'verified_email_on_list' : 'verified_email_not_on_list';
    const uploadId = await newestListUploadId(manager, incident.id, ticket.merchantId);
    const unchanged =
      current !== null &&
      current.outcome === result &&
      current.evidence === evidence &&
      current.listUploadId === uploadId &&
      current.reviewFlaggedAt === null;
    if (unchanged) return result;
    const { determination, previous } = await writeDetermination(manager, {
      ticket,
      incidentId: incident.id,
      outcome: result,
      evidence,
      sealedReason: null,
      actor: { type: 'end_user' },
      now,
    });
    await this.audit
      .by({ endUser: true, ip }, manager, now)
      .record(AUDIT_ACTIONS.determinationRecorded, ticketAuditSubject(ticket), {
        determinationId: determination.id,
        outcome: determination.outcome,
        evidence: determination.evidence,
        incidentId: incident.id,
        listUploadId: determination.listUploadId,
        ...(previous === null
          ? {}
          : { supersededId: previous.id, previousOutcome: previous.outcome }),
      });
    return result;
  }

  private async resultFor(
    manager: EntityManager,
    ticket: Ticket,
    incident: Incident,
  ): Promise<LeakCheckResult> {
    // The code proves the email only. Whether the ticket's phone or order number is on the list
    // must not show here: anyone may type someone else's into an inquiry. So "not included" is
    // said only when the email is all the ticket holds; otherwise staff answer (they see every match).
    const match = await affectedListMatch(manager, incident.id, ticket);
    if (match.email) return 'included';
    const onlyEmail = ticket.requesterPhoneIndex === null && ticket.orderNumberIndex === null;
    if (match.listHasEmails && onlyEmail) return 'not_included';
    return 'undetermined';
  }

  private async answerFor(
    ticket: Ticket,
    incident: Incident,
    result: LeakCheckResult,
  ): Promise<string | null> {
    if (result === 'undetermined') return null;
    const approved = await this.answers.latestApproved(
      ticket.merchantId,
      incident.id,
      result === 'included' ? 'leak_included' : 'leak_not_included',
    );
    if (approved === null) return null;
    const manager = this.dataSource.manager;
    const [merchant, site] = await Promise.all([
      manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
      ticket.siteId === null ? null : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
    ]);
    return renderCannedResponse(approved.body, {
      name: this.cipher.decryptNullable(ticket.requesterName),
      reference: ticket.reference,
      merchant: merchant.name,
      site: site?.displayName ?? null,
      agent: null,
    });
  }

  /** The ticket (locked for the transaction on MariaDB) if the check applies to it, else 404. */
  private async checkable(manager: EntityManager, token: string): Promise<Checkable> {
    const ticket = await this.ticketByToken(manager, token, true);
    const incident =
      ticket.category === 'leak_check' ? await incidentOfTicket(manager, ticket) : null;
    if (incident === null || ticket.requesterEmail === null) throw new NotFoundException();
    return { ticket, incident };
  }

  private async ticketByToken(
    manager: EntityManager,
    token: string,
    lock: boolean,
  ): Promise<Ticket> {
    const query = manager
      .getRepository(Ticket)
      .createQueryBuilder('ticket')
      .where('ticket.statusTokenHash = :hash', { hash: tokenHashOf(token) });
    if (lock && manager.connection.options.type !== 'better-sqlite3') {
      query.setLock('pessimistic_write');
    }
    const ticket = await query.getOne();
    if (!ticket || ticket.erasedAt !== null) throw new NotFoundException();
    return ticket;
  }

  /** Codes sent since `since` to the ticket's email, on any of the tickets that carry it. */
  private async codesOfEmailSince(
    manager: EntityManager,
    ticket: Ticket,
    since: Date,
  ): Promise<number> {
    const query = manager
      .getRepository(LeakCheckCode)
      .createQueryBuilder('code')
      .where('code.createdAt > :since', { since });
    if (ticket.requesterEmailIndex === null)
      query.andWhere('code.ticketId = :id', { id: ticket.id });
    else {
      query
        .innerJoin(Ticket, 'ticket', 'ticket.id = code.ticketId')
        .andWhere('ticket.requesterEmailIndex = :index', { index: ticket.requesterEmailIndex });
    }
    return query.getCount();
  }

  /**
   * The guessing budgets of a person and an address: wrong entries on the codes of the ticket's
   * email (every ticket with it) in the last 24 hours, and checks from the address in the last
   * hour (from the audit trail, which records every check with its IP).
   */
  private async budgetSpent(
    manager: EntityManager,
    ticket: Ticket,
    ip: string | null,
    now: Date,
  ): Promise<boolean> {
    const dayAgo = new Date(now.getTime() - 24 * 3600_000);
    const query = manager
      .getRepository(LeakCheckCode)
      .createQueryBuilder('code')
      .select('COALESCE(SUM(code.attempts), 0)', 'wrong')
      .where('code.createdAt > :since', { since: dayAgo });
    if (ticket.requesterEmailIndex === null)
      query.andWhere('code.ticketId = :id', { id: ticket.id });
    else {
      query
        .innerJoin(Ticket, 'ticket', 'ticket.id = code.ticketId')
        .andWhere('ticket.requesterEmailIndex = :index', { index: ticket.requesterEmailIndex });
    }
    const wrong = Number((await query.getRawOne<{ wrong: number | string }>())?.wrong ?? 0);
    if (wrong >= LEAK_CHECK_WRONG_PER_EMAIL_PER_DAY) return true;
    if (ip === null) return false;
    const checks = await this.auditCountSince(
      manager,
      AUDIT_ACTIONS.leakCheckCodeChecked,
      ip,
      new Date(now.getTime() - 3600_000),
    );
    return checks >= LEAK_CHECK_CHECKS_PER_IP_PER_HOUR;
  }

  /** Audit rows of `action` from `ip` since `since` (only those with `outcome`, when given). */
  private auditCountSince(
    manager: EntityManager,
    action: string,
    ip: string,
    since: Date,
    outcome?: string,
  ): Promise<number> {
    const query = manager
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.action = :action AND event.createdAt > :since AND event.ip = :ip', {
        action,
        since,
        ip,
      });
    if (outcome !== undefined) {
      query.andWhere('event.detail LIKE :outcome', { outcome: `%"outcome":"${outcome}"%` });
    }
    return query.getCount();
  }

  private newestCode(manager: EntityManager, ticketId: number): Promise<LeakCheckCode | null> {
    return manager
      .getRepository(LeakCheckCode)
      .findOne({ where: { ticketId }, order: { id: 'DESC' } });
  }

  private codeHash(ticketId: number, code: string): string {
    return this.blindIndex.of('leak_check_code', `${ticketId}:${code}`);
  }
}

function isLive(code: LeakCheckCode, now: Date): boolean {
  return (
    code.usedAt === null &&
    code.attempts < LEAK_CHECK_MAX_ATTEMPTS &&
    code.expiresAt.getTime() > now.getTime()
  );
}

/** Constant-time comparison of two hex digests. */
function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
