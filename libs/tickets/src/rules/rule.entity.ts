import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  VersionColumn,
} from 'typeorm';
import { User } from '@madoguchi/auth';
import { Merchant } from '@madoguchi/tenancy';
import type { RuleKind } from './rule.constant';

/**
 * One rule an admin set up (docs/rules.md): an intake trigger (conditions on channel, category
 * and words of the first message; actions set priority and category) or the pending-customer
 * automation (remind once after N business days, resolve after M more). merchantId null: every
 * merchant's tickets. Rules of one kind apply in `position` order (then id).
 */
@Entity('rules')
@Index('ix_rules_kind_position', ['kind', 'position'])
export class Rule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  kind: RuleKind;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'int', nullable: true })
  merchantId: number | null;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_rules_merchant' })
  merchant?: Merchant;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'boolean' })
  enabled: boolean;

  /** Intake: no later rule applies after this one matched. */
  @Column({ type: 'boolean' })
  stopProcessing: boolean;

  /** JSON of RuleConditions (channels, categories, keywords; an empty list matches anything). */
  @Column({ type: 'text' })
  conditions: string;

  /** JSON of RuleActions (intake: priority, category; pending: days and texts). */
  @Column({ type: 'text' })
  actions: string;

  @Column({ type: 'int', nullable: true })
  updatedByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by_user_id', foreignKeyConstraintName: 'fk_rules_updated_by' })
  updatedBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;

  /** Optimistic lock: an edit of a stale form is refused (409). */
  @VersionColumn({ type: 'int' })
  version: number;
}
