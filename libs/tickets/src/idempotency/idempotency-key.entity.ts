import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Site } from '@madoguchi/tenancy';
import { Ticket } from '../ticket/ticket.entity';

/**
 * An `Idempotency-Key` seen on the intake API, per site. The response holds the status URL
 * (a secret), so it is stored encrypted.
 */
@Entity('idempotency_keys')
@Index('uq_idempotency_keys_site_key', ['siteId', 'keyHash'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  siteId: number;

  @ManyToOne(() => Site, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'fk_idempotency_keys_site' })
  site?: Site;

  @Column({ type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ type: 'varchar', length: 64 })
  requestDigest: string;

  @Column({ type: 'int', nullable: true })
  ticketId: number | null;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_idempotency_keys_ticket' })
  ticket?: Ticket;

  @Column({ type: 'text' })
  response: string;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
