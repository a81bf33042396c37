import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { Clock } from '@madoguchi/common';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { messageIdsOf, normaliseMessageId } from '@madoguchi/mail';
import type { ReplyAudience } from './reply-address.entity';
import { SentMailId } from './sent-mail-id.entity';

export interface SentMailRecord {
  /** The Message-ID header as sent, `<…>`. */
  messageIdHeader: string;
  ticketId: number | null;
  /** The ticket message the mail delivered (a reply), if any. */
  messageId?: number | null;
  outboxJobId?: number | null;
  audience?: ReplyAudience | null;
}

export interface SentMailMatch {
  ticketId: number;
  messageId: number | null;
  outboxJobId: number | null;
  audience: ReplyAudience | null;
}

export interface ThreadHeaders {
  /** The Message-ID of the thread's newest mail. */
  inReplyTo: string;
  /** The thread's Message-IDs, oldest first (the first and the newest few), space-separated. */
  references: string;
}

/** A long thread's References keeps its first mail and this many of the newest (RFC 5322 allows trimming). */
const REFERENCES_NEWEST = 9;

/**
 * The Message-IDs of the desk's mails about tickets: which ticket a reply's In-Reply-To or
 * References names, which outbox job a bounce is about, and what the next mail of a ticket
 * answers. Ids are found by a blind index of their normalised form; the header is kept sealed.
 */
@Injectable()
export class SentMailIdService {
  constructor(
    private readonly blindIndex: BlindIndex,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
  ) {}

  /** Records a sent (or queued) mail's Message-ID in `manager`'s transaction; a known id is left as it is. */
  async record(manager: EntityManager, record: SentMailRecord): Promise<void> {
    const hash = this.hashOf(record.messageIdHeader);
    if (hash === null) throw new Error('not a Message-ID');
    await manager
      .createQueryBuilder()
      .insert()
      .into(SentMailId)
      .values({
        messageIdHash: hash,
        messageIdHeader: this.cipher.encrypt(record.messageIdHeader.trim()),
        ticketId: record.ticketId,
        messageId: record.messageId ?? null,
        outboxJobId: record.outboxJobId ?? null,
        audience: record.audience ?? null,
        createdAt: this.clock.now(),
      })
      .orIgnore()
      .execute();
  }

  /**
   * The ticket named by the first of `messageIdHeaders` that is one of ours (pass In-Reply-To
   * before References: each header may hold several ids; References is tried newest first).
   */
  async findTicket(
    manager: EntityManager,
    messageIdHeaders: string[],
  ): Promise<SentMailMatch | null> {
    const found = await this.find(manager, messageIdHeaders);
    return found && found.ticketId !== null
      ? {
          ticketId: found.ticketId,
          messageId: found.messageId,
          outboxJobId: found.outboxJobId,
          audience: found.audience,
        }
      : null;
  }

  /** The row of the first of `messageIdHeaders` that is one of ours, about a ticket or not. */
  async find(manager: EntityManager, messageIdHeaders: string[]): Promise<SentMailId | null> {
    const hashes = messageIdHeaders
      .flatMap((header) => messageIdsOf(header).reverse())
      .map((id) => this.blindIndex.of('message_id', id));
    if (hashes.length === 0) return null;
    const rows = await manager
      .getRepository(SentMailId)
      .findBy({ messageIdHash: In([...new Set(hashes)]) });
    const byHash = new Map(rows.map((row) => [row.messageIdHash, row]));
    for (const hash of hashes) {
      const row = byHash.get(hash);
      if (row) return row;
    }
    return null;
  }

  /**
   * In-Reply-To and References for the ticket's next mail to `audience`, so mail clients show
   * the ticket's mails as one conversation; null before its first mail.
   */
  async threadOf(
    manager: EntityManager,
    ticketId: number,
    audience: ReplyAudience,
  ): Promise<ThreadHeaders | null> {
    const repository = manager.getRepository(SentMailId);
    // One after the other: both run on the transaction's one connection anyway.
    const first = await repository.findOne({
      where: { ticketId, audience },
      order: { id: 'ASC' },
    });
    if (!first) return null;
    const newest = await repository.find({
      where: { ticketId, audience },
      order: { id: 'DESC' },
      take: REFERENCES_NEWEST,
    });
    const chain = [first, ...newest.reverse().filter((row) => row.id !== first.id)].map((row) =>
      this.cipher.decrypt(row.messageIdHeader),
    );
    return { inReplyTo: chain[chain.length - 1] ?? '', references: chain.join(' ') };
  }

  private hashOf(header: string): string | null {
    const id = normaliseMessageId(header);
    return id === null ? null : this.blindIndex.of('message_id', id);
  }
}
