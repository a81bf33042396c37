import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Merchant } from '@madoguchi/tenancy';

/**
 * A reusable reply. merchantId null: offered on every merchant's tickets; otherwise only on
 * that merchant's. The body may hold placeholders such as {{name}}, {{reference}}, {{merchant}}.
 */
@Entity('canned_responses')
@Index('ix_canned_responses_merchant', ['merchantId'])
export class CannedResponse {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int', nullable: true })
  merchantId: number | null;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_canned_responses_merchant' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'int', nullable: true })
  updatedByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'updated_by_user_id',
    foreignKeyConstraintName: 'fk_canned_responses_updated_by',
  })
  updatedBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
