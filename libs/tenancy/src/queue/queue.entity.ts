import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '../merchant/merchant.entity';

/**
 * A merchant's work queue; each merchant has at least one. Here, not in tickets: a staff
 * member's tenant scope is a set of queues.
 */
@Entity('queues')
@Index('ix_queues_merchant', ['merchantId'])
export class Queue {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_queues_merchant' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The queue new web inquiries of the merchant land in. */
  @Column({ type: 'boolean' })
  isDefault: boolean;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
