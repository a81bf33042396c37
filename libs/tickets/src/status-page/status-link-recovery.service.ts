import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, runTransaction } from '@madoguchi/common';
import { BlindIndex, FieldCipher, foldWidth } from '@madoguchi/crypto';
import { DatabaseRateLimitCounter } from '@madoguchi/http';
import type { SiteWithMerchant } from '@madoguchi/tenancy';
import { StatusLinkService } from '../mail-thread/status-link.service';
import { ThreadedMailService } from '../mail-thread/threaded-mail.service';
import { Ticket } from '../ticket/ticket.entity';
import { normaliseTicketReference } from '../ticket/ticket-reference.util';
import { statusLinkMail } from './status-link-mail.template';

/** Requests for a status link counted per client address and per reference, in this window. */
export const STATUS_LINK_LIMIT_WINDOW_MS = 60 * 60_000;
/** Per window: requests from one address (a typo or two, a few tickets; not a scan). */
export const STATUS_LINK_REQUESTS_PER_IP = 5;
/** Per window: requests naming one reference, from anywhere (mails to one shopper stay few). */
export const STATUS_LINK_REQUESTS_PER_REFERENCE = 3;

const EMAIL_MAX_LENGTH = 254;

export type StatusLinkRequestIssue =
  | { field: 'reference'; code: 'required' | 'invalid' }
  | { field: 'email'; code: 'required' | 'invalid' };

export type StatusLinkRequestValidation =
  | { ok: true; value: { reference: string; email: string } }
  | { ok: false; issues: StatusLinkRequestIssue[] };

/** The recovery form's two fields: a reference as people type it, and an address. */
export function validateStatusLinkRequest(body: unknown): StatusLinkRequestValidation {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const issues: StatusLinkRequestIssue[] = [];
  const referenceText = typeof raw.reference === 'string' ? raw.reference.trim() : '';
  const reference = referenceText === '' ? null : normaliseTicketReference(referenceText);
  if (referenceText === '') issues.push({ field: 'reference', code: 'required' });
  else if (reference === null) issues.push({ field: 'reference', code: 'invalid' });
  const email = typeof raw.email === 'string' ? foldWidth(raw.email).trim() : '';
  if (email === '') issues.push({ field: 'email', code: 'required' });
  else if (email.length > EMAIL_MAX_LENGTH || !isEmail(email))
    issues.push({ field: 'email', code: 'invalid' });
  if (issues.length > 0 || reference === null) return { ok: false, issues };
  return { ok: true, value: { reference, email } };
}

/** `accepted` whether or not the pair matched a ticket: the caller must not tell them apart. */
export type StatusLinkRequestOutcome = 'accepted' | 'rate_limited';

/**
 * The shopper who lost the confirmation mail: reference + email on the site's recovery page →
 * the status link mailed again, with a new token (the old link stops working at once). The
 * answer is the same whether or not the two match, and the work is the same up to the match:
 * both counters, the blind index of the address, and the ticket lookup happen either way, so
 * neither the page nor an early return tells a guesser anything. Counted per client address and
 * per reference in the shared rate-limit table (every intake instance counts against one limit).
 */
@Injectable()
export class StatusLinkRecoveryService {
  private readonly requests: DatabaseRateLimitCounter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
    private readonly cipher: FieldCipher,
    private readonly statusLinks: StatusLinkService,
    private readonly threadedMail: ThreadedMailService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.requests = new DatabaseRateLimitCounter(dataSource, 'intake-status-link', () =>
      clock.now().getTime(),
    );
  }

  async request(
    target: SiteWithMerchant,
    input: { reference: string; email: string },
    ip: string | null,
  ): Promise<StatusLinkRequestOutcome> {
    const [byIp, byReference] = await Promise.all([
      this.requests.hit(`ip:${ip ?? 'unknown'}`, STATUS_LINK_LIMIT_WINDOW_MS),
      this.requests.hit(`reference:${input.reference}`, STATUS_LINK_LIMIT_WINDOW_MS),
    ]);
    if (
      byIp.current > STATUS_LINK_REQUESTS_PER_IP ||
      byReference.current > STATUS_LINK_REQUESTS_PER_REFERENCE
    ) {
      return 'rate_limited';
    }
    const emailIndex = this.blindIndex.email(input.email);
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      // Only a ticket of this site: one shop's page never mails a link of another shop's ticket.
      const ticket = await manager
        .getRepository(Ticket)
        .findOneBy({ reference: input.reference, siteId: target.site.id });
      const matched =
        ticket !== null &&
        ticket.erasedAt === null &&
        ticket.statusTokenHash !== null &&
        sameIndex(ticket.requesterEmailIndex, emailIndex);
      if (!matched || ticket.requesterEmail === null) return;
      const statusUrl = await this.statusLinks.reissue(manager, ticket.id);
      await this.threadedMail.enqueue(
        manager,
        ticket,
        'requester',
        statusLinkMail({
          to: this.cipher.decrypt(ticket.requesterEmail),
          senderName: target.site.senderName,
          siteName: target.site.displayName,
          reference: ticket.reference,
          statusUrl,
        }),
        { at: now, autoGenerated: true },
      );
      await this.audit
        .by({ endUser: true, ip }, manager, now)
        .record(AUDIT_ACTIONS.ticketStatusLinkReissued, {
          merchantId: ticket.merchantId,
          target: { type: 'ticket', id: ticket.reference },
        });
    });
    return 'accepted';
  }
}

function sameIndex(stored: string | null, typed: string): boolean {
  if (stored === null || stored.length !== typed.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(typed));
}
