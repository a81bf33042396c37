import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { NotFoundException } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { FieldCipher, generateSecretToken, hashSecretToken } from '@madoguchi/crypto';
import { Ticket } from '../ticket/ticket.entity';

/** A new status token: the link to mail, and the two forms the ticket stores. */
export interface IssuedStatusToken {
  token: string;
  /** `tickets.status_token_hash`: the lookup. */
  tokenHash: string;
  /** `tickets.status_token`: sealed, to repeat the link in later mails. */
  sealedToken: string;
  url: string;
}

/**
 * What a mail to the end user says about the status page: its link; that the first mail holds
 * it (a ticket born before the token was kept); or nothing (a ticket without a page: phone).
 */
export type MailStatusLink =
  { kind: 'link'; url: string } | { kind: 'in_first_mail' } | { kind: 'none' };

/**
 * The end user's status link, `<INTAKE_PUBLIC_URL>/status/<token>`. The token is looked up by
 * its SHA-256 and kept sealed (FieldCipher) beside it, so every mail of the ticket can repeat the
 * link; tickets born before it was kept have only the hash, and their mails point to the first.
 */
@Injectable()
export class StatusLinkService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly config: AppConfig,
  ) {}

  issue(): IssuedStatusToken {
    const token = generateSecretToken();
    return {
      token,
      tokenHash: hashSecretToken(token),
      sealedToken: this.cipher.encrypt(token),
      url: this.urlOf(token),
    };
  }

  urlOf(token: string): string {
    return `${this.config.http.intakePublicUrl}/status/${token}`;
  }

  /** The ticket's status link, or null when only its hash is kept (or it has none, or was erased). */
  statusUrlOf(ticket: Pick<Ticket, 'statusToken'>): string | null {
    return ticket.statusToken ? this.urlOf(this.cipher.decrypt(ticket.statusToken)) : null;
  }

  /** The status link as a mail to the end user gives it. */
  mailLinkOf(ticket: Pick<Ticket, 'statusToken' | 'statusTokenHash'>): MailStatusLink {
    const url = this.statusUrlOf(ticket);
    if (url !== null) return { kind: 'link', url };
    return ticket.statusTokenHash !== null ? { kind: 'in_first_mail' } : { kind: 'none' };
  }

  /**
   * A new status link for the ticket (the recovery flow): the old link stops working at once.
   * 404 for an unknown or erased ticket.
   */
  async reissue(manager: EntityManager, ticketId: number): Promise<string> {
    const issued = this.issue();
    const { affected } = await manager.update(
      Ticket,
      { id: ticketId, erasedAt: IsNull() },
      { statusTokenHash: issued.tokenHash, statusToken: issued.sealedToken },
    );
    if (affected !== 1) throw new NotFoundException();
    return issued.url;
  }
}
