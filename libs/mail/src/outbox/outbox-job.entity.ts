import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxJobStatus = 'pending' | 'sent' | 'dead';

/**
 * Work to do after a commit (a mail to send), written in the same transaction as the change
 * that caused it. Workers lease jobs atomically; the payload is encrypted (it holds addresses).
 */
@Entity('outbox_jobs')
@Index('ix_outbox_jobs_due', ['status', 'nextAttemptAt'])
@Index('ix_outbox_jobs_ticket', ['ticketId'])
@Index('ix_outbox_jobs_status_sent', ['status', 'sentAt'])
export class OutboxJob {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxJobStatus;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'datetime' })
  nextAttemptAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'datetime', nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime', nullable: true })
  sentAt: Date | null;

  /** The ticket the mail is about (its requester's address is in the payload): retention erases it with the ticket. */
  @Column({ type: 'int', nullable: true })
  ticketId: number | null;
}
