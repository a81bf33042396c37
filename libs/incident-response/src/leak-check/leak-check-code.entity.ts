import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Ticket } from '@madoguchi/tickets';

export const LEAK_CHECK_RESULTS = ['included', 'not_included', 'undetermined'] as const;
export type LeakCheckResult = (typeof LEAK_CHECK_RESULTS)[number];

/**
 * A one-time code mailed to a leak_check ticket's email, so the end user proves they own it
 * before learning whether their data was on the merchant's list. Only a keyed hash is kept.
 */
@Entity('leak_check_codes')
@Index('ix_leak_check_codes_ticket', ['ticketId', 'createdAt'])
export class LeakCheckCode {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_leak_check_codes_ticket' })
  ticket?: Ticket;

  /** HMAC-SHA256 (the blind-index key) of the ticket id and the code. */
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  /** Wrong entries so far; the code is dead at LEAK_CHECK_MAX_ATTEMPTS. */
  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  /** Set when the right code was entered (once: the code is then spent). */
  @Column({ type: 'datetime', nullable: true })
  usedAt: Date | null;

  /** What the end user was shown on success. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  result: LeakCheckResult | null;
}
