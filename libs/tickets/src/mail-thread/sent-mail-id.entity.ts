import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Ticket } from '../ticket/ticket.entity';
import type { ReplyAudience } from './reply-address.entity';

/**
 * The Message-ID of a mail the desk sent about a ticket: a reply's In-Reply-To or References
 * finds the ticket by it, a bounce finds the outbox job and the message it delivered, and the
 * ticket's next mail to the same audience answers it (In-Reply-To), so mail clients thread them.
 * Looked up by a blind index of the normalised id; the id itself is kept sealed.
 */
@Entity('sent_mail_ids')
@Index('uq_sent_mail_ids_hash', ['messageIdHash'], { unique: true })
@Index('ix_sent_mail_ids_ticket', ['ticketId', 'id'])
export class SentMailId {
  @PrimaryGeneratedColumn()
  id: number;

  /** BlindIndex (HMAC) of the normalised Message-ID. */
  @Column({ type: 'varchar', length: 64 })
  messageIdHash: string;

  /** The Message-ID header as sent, `<…>` (FieldCipher), for the next mail's In-Reply-To. */
  @Column({ type: 'text' })
  messageIdHeader: string;

  /** Null for a mail about no ticket, and once the ticket is gone. */
  @Column({ type: 'int', nullable: true })
  ticketId: number | null;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_sent_mail_ids_ticket' })
  ticket?: Ticket;

  /** The ticket message the mail delivered (a reply), whose delivery state a bounce sets. */
  @Column({ type: 'int', nullable: true })
  messageId: number | null;

  @Column({ type: 'int', nullable: true })
  outboxJobId: number | null;

  /** Who the mail went to; null when the mail was not one of a ticket's threads. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  audience: ReplyAudience | null;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
