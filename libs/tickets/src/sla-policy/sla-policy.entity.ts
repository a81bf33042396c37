import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '@madoguchi/tenancy';
import type { TicketCategory, TicketPriority } from '../ticket/ticket.constant';

/**
 * A merchant's SLA targets for one priority (issue 15), optionally for one category only:
 * minutes of business time on the desk's calendar to the first response and to the resolution.
 * `category` '' is the merchant × priority policy (every category); a category's own policy wins
 * over it. The unique index holds one policy per merchant × priority × category ('' included, so
 * MySQL's "NULLs are distinct" never lets two general policies in).
 */
@Entity('sla_policies')
@Index('uq_sla_policies_merchant_priority_category', ['merchantId', 'priority', 'category'], {
  unique: true,
})
export class SlaPolicy {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_sla_policies_merchant' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 16 })
  priority: TicketPriority;

  /** '' for every category of the merchant × priority. */
  @Column({ type: 'varchar', length: 32 })
  category: TicketCategory | '';

  @Column({ type: 'int' })
  firstResponseMinutes: number;

  @Column({ type: 'int' })
  resolutionMinutes: number;

  @Column({ type: 'int', nullable: true })
  updatedByUserId: number | null;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
