import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Ticket } from '../ticket/ticket.entity';

/** Who a reply address was given to: the ticket's requester, or the merchant's notification addresses. */
export const REPLY_AUDIENCES = ['requester', 'merchant'] as const;
export type ReplyAudience = (typeof REPLY_AUDIENCES)[number];

/**
 * The `reply+<token>@<inbound domain>` address of one ticket for one audience, reused by every
 * mail of the ticket to that audience. The token is looked up by its SHA-256 (`token_hash`) and
 * kept sealed (FieldCipher) only so the next mail can repeat the same address.
 */
@Entity('reply_addresses')
@Index('uq_reply_addresses_token', ['tokenHash'], { unique: true })
@Index('uq_reply_addresses_ticket_audience', ['ticketId', 'audience'], { unique: true })
export class ReplyAddress {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  /** FieldCipher. */
  @Column({ type: 'text' })
  token: string;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_reply_addresses_ticket' })
  ticket?: Ticket;

  /** The ticket's merchant (denormalised: a resolved reply is scoped without reading the ticket). */
  @Column({ type: 'int' })
  merchantId: number;

  @Column({ type: 'varchar', length: 16 })
  audience: ReplyAudience;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
