import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '@madoguchi/tenancy';

/** A merchant's work queue; each merchant has at least one. */
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
