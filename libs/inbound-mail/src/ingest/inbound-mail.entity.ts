import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Ticket } from '@madoguchi/tickets';
import type { InboundOutcomeKind, InboundTransport } from './inbound-outcome.type';

/**
 * One mail that arrived, whatever became of it: the key of idempotency (a re-delivered mail
 * finds its hash and stores nothing twice) and of the per-sender rate limit. No personal data:
 * the Message-ID and the sender only as blind indexes, the outcome as machine words.
 */
@Entity('inbound_mails')
@Index('uq_inbound_mails_message_id', ['messageIdHash'], { unique: true })
@Index('ix_inbound_mails_sender_received', ['senderIndex', 'receivedAt'])
@Index('ix_inbound_mails_received', ['receivedAt'])
export class InboundMail {
  @PrimaryGeneratedColumn()
  id: number;

  /** Blind index of the normalised Message-ID; of the raw bytes for a mail without one. */
  @Column({ type: 'varchar', length: 64 })
  messageIdHash: string;

  @Column({ type: 'varchar', length: 8 })
  transport: InboundTransport;

  @Column({ type: 'varchar', length: 16 })
  outcome: InboundOutcomeKind;

  /** Why it was refused or set aside (`rate_limited`, `unknown_recipient`, …); null otherwise. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  reason: string | null;

  /** The ticket it reached (a reply, a new ticket, an auto-reply to one); null when none. */
  @Column({ type: 'int', nullable: true })
  ticketId: number | null;

  @ManyToOne(() => Ticket, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_inbound_mails_ticket' })
  ticket?: Ticket;

  @Column({ type: 'int', nullable: true })
  merchantId: number | null;

  /** Blind index of the From address (the rate limit counts by it); null without a sender. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  senderIndex: string | null;

  @Column({ type: 'datetime' })
  receivedAt: Date;
}
