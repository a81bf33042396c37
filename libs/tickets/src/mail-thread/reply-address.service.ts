import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, isUniqueViolation } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { Ticket } from '../ticket/ticket.entity';
import { ReplyAddress, type ReplyAudience } from './reply-address.entity';

/** The local part of every reply address: `reply+<token>`. */
export const REPLY_ADDRESS_PREFIX = 'reply+';

/**
 * 160 random bits as lower-case hex: mail systems may change the case of a local part, so the
 * token must survive that; 40 characters keep `reply+<token>` well under the 64 allowed.
 */
const TOKEN_PATTERN = /^[0-9a-f]{40}$/;

export interface ResolvedReplyAddress {
  ticketId: number;
  merchantId: number;
  audience: ReplyAudience;
}

/**
 * The reply address of a ticket for one audience, `reply+<token>@<INBOUND_MAIL_DOMAIN>`: every
 * mail of the ticket to that audience carries the same one as Reply-To, and a mail that arrives
 * at it is that ticket's. The token is random; stored as its SHA-256 (the lookup) and sealed (to
 * repeat it), never in plain text.
 */
@Injectable()
export class ReplyAddressService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The ticket's address for `audience`, made on first use in `manager`'s transaction. */
  async addressFor(
    manager: EntityManager,
    ticket: Pick<Ticket, 'id' | 'merchantId'>,
    audience: ReplyAudience,
  ): Promise<string> {
    const existing = await this.existing(manager, ticket.id, audience, false);
    if (existing) return this.address(existing);
    const token = randomBytes(20).toString('hex');
    try {
      await manager.insert(ReplyAddress, {
        tokenHash: hashSecretToken(token),
        token: this.cipher.encrypt(token),
        ticketId: ticket.id,
        merchantId: ticket.merchantId,
        audience,
        createdAt: this.clock.now(),
      });
      return this.address(token);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent mail of the same ticket made it first (the failed statement alone is
      // rolled back on MariaDB and SQLite): use theirs. A locking read sees their commit.
      const theirs = await this.existing(manager, ticket.id, audience, true);
      if (!theirs) throw error;
      return this.address(theirs);
    }
  }

  /**
   * The ticket a reply address (or its local part, `reply+<token>`) belongs to; null for
   * anything else, an unknown token, or an erased ticket. The domain is not checked: the
   * transport that received the mail decided it is ours, and the token alone is the secret.
   */
  async resolve(
    manager: EntityManager,
    localPartOrAddress: string,
  ): Promise<ResolvedReplyAddress | null> {
    const token = replyTokenOf(localPartOrAddress);
    if (token === null) return null;
    const row = await manager
      .getRepository(ReplyAddress)
      .createQueryBuilder('address')
      .innerJoin(Ticket, 'ticket', 'ticket.id = address.ticketId')
      .where('address.tokenHash = :hash', { hash: hashSecretToken(token) })
      .andWhere('ticket.erasedAt IS NULL')
      .getOne();
    return row
      ? { ticketId: row.ticketId, merchantId: row.merchantId, audience: row.audience }
      : null;
  }

  private async existing(
    manager: EntityManager,
    ticketId: number,
    audience: ReplyAudience,
    locking: boolean,
  ): Promise<string | null> {
    const query = manager
      .getRepository(ReplyAddress)
      .createQueryBuilder('address')
      .where('address.ticketId = :ticketId AND address.audience = :audience', {
        ticketId,
        audience,
      });
    if (locking && manager.connection.options.type !== 'better-sqlite3') {
      query.setLock('pessimistic_read');
    }
    const row = await query.getOne();
    return row ? this.cipher.decrypt(row.token) : null;
  }

  private address(token: string): string {
    return `${REPLY_ADDRESS_PREFIX}${token}@${this.config.inboundMail.domain.toLowerCase()}`;
  }
}

/** The token of `reply+<token>` or `reply+<token>@domain` (any case, `<…>` allowed); else null. */
export function replyTokenOf(localPartOrAddress: string): string | null {
  const address = localPartOrAddress.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = address.lastIndexOf('@');
  const localPart = at === -1 ? address : address.slice(0, at);
  if (!localPart.startsWith(REPLY_ADDRESS_PREFIX)) return null;
  const token = localPart.slice(REPLY_ADDRESS_PREFIX.length);
  return TOKEN_PATTERN.test(token) ? token : null;
}
