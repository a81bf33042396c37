import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { ReplyAddressService, SentMailIdService, Ticket } from '@madoguchi/tickets';
import { Site, type SiteWithMerchant } from '@madoguchi/tenancy';
import type { ParsedInboundMail } from '../parse/inbound-mail-parser';
import { recipientCandidates, referencesInSubject } from '../route/inbound-recipient.util';

/** How a mail was matched to its ticket. */
export type ThreadedBy = 'reply_address' | 'in_reply_to' | 'subject';

export type InboundRoute =
  | {
      kind: 'ticket';
      ticket: Ticket;
      /** Whose mail it answers: the requester's or the merchant's (its notification mails). */
      audience: 'requester' | 'merchant';
      threadedBy: ThreadedBy;
    }
  | { kind: 'site'; target: SiteWithMerchant }
  | { kind: 'none' };

export interface RoutingInput {
  mail: ParsedInboundMail;
  /** recipientsInOrder(envelope, To/Cc). */
  recipients: readonly string[];
  /** Blind index of the From address; null without one. */
  senderIndex: string | null;
  /** Automatic mail is only tied to the ticket its headers name: no subject match, no new ticket. */
  automatic: boolean;
}

/**
 * Finds what a mail is about (docs/email.md "Inbound mail"): the ticket of its reply address;
 * else the ticket of the mail it answers (In-Reply-To, References); else the reference in its
 * subject, only when the sender's address is the ticket's requester's; else the site whose
 * address (`<slug>@` the inbound domain, or its alias) it was sent to. A subject naming another
 * person's ticket is routed as if the ticket did not exist.
 */
@Injectable()
export class InboundRoutingService {
  constructor(
    private readonly replyAddresses: ReplyAddressService,
    private readonly sentMailIds: SentMailIdService,
  ) {}

  async route(manager: EntityManager, input: RoutingInput, domain: string): Promise<InboundRoute> {
    const candidates = recipientCandidates(input.recipients, domain);
    for (const address of candidates.replyAddresses) {
      const resolved = await this.replyAddresses.resolve(manager, address);
      const ticket = resolved ? await this.liveTicket(manager, resolved.ticketId) : null;
      if (resolved && ticket) {
        return { kind: 'ticket', ticket, audience: resolved.audience, threadedBy: 'reply_address' };
      }
    }
    if (input.mail.threadHeaders.length > 0) {
      const sent = await this.sentMailIds.findTicket(manager, input.mail.threadHeaders);
      const ticket = sent ? await this.liveTicket(manager, sent.ticketId) : null;
      if (sent && ticket) {
        const audience = sent.audience === 'merchant' ? 'merchant' : 'requester';
        return { kind: 'ticket', ticket, audience, threadedBy: 'in_reply_to' };
      }
    }
    if (input.automatic) return { kind: 'none' };
    if (input.senderIndex !== null) {
      const ticket = await this.requestersTicketInSubject(
        manager,
        input.mail.subject,
        input.senderIndex,
      );
      if (ticket) return { kind: 'ticket', ticket, audience: 'requester', threadedBy: 'subject' };
    }
    const target = await this.siteOf(manager, candidates.slugs, candidates.aliases);
    return target ? { kind: 'site', target } : { kind: 'none' };
  }

  private async liveTicket(manager: EntityManager, ticketId: number): Promise<Ticket | null> {
    const ticket = await manager.getRepository(Ticket).findOneBy({ id: ticketId });
    return ticket && ticket.erasedAt === null ? ticket : null;
  }

  /** The ticket a subject names, only if `senderIndex` is its requester's email index. */
  private async requestersTicketInSubject(
    manager: EntityManager,
    subject: string,
    senderIndex: string,
  ): Promise<Ticket | null> {
    const references = referencesInSubject(subject);
    if (references.length === 0) return null;
    const tickets = await manager
      .getRepository(Ticket)
      .findBy({ reference: In(references), requesterEmailIndex: senderIndex });
    // In the subject's order; an erased ticket has no requester left to match anyway.
    for (const reference of references) {
      const ticket = tickets.find((candidate) => candidate.reference === reference);
      if (ticket && ticket.erasedAt === null) return ticket;
    }
    return null;
  }

  /** The site of the first recipient that is a site's slug or alias. */
  private async siteOf(
    manager: EntityManager,
    slugs: readonly string[],
    aliases: readonly string[],
  ): Promise<SiteWithMerchant | null> {
    if (slugs.length === 0 && aliases.length === 0) return null;
    const query = manager
      .getRepository(Site)
      .createQueryBuilder('site')
      .innerJoinAndSelect('site.merchant', 'merchant');
    if (slugs.length > 0) query.orWhere('site.slug IN (:...slugs)', { slugs });
    if (aliases.length > 0) query.orWhere('site.inboundAlias IN (:...aliases)', { aliases });
    const sites = await query.getMany();
    for (const address of aliases) {
      const localPart = address.includes('@') ? null : address;
      const site = sites.find(
        (candidate) =>
          candidate.inboundAlias === address ||
          (localPart !== null && candidate.slug === localPart),
      );
      if (site?.merchant) return { site, merchant: site.merchant };
    }
    return null;
  }
}
