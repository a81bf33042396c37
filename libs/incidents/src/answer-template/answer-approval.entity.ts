import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Merchant } from '@madoguchi/tenancy';
import type { AnswerDecision } from './answer-purpose.constant';
import { AnswerTemplateVersion } from './answer-template-version.entity';

/**
 * A merchant's decision on one version: approved for its customers, or changes requested
 * (with a comment). One row per (version, merchant); a later decision replaces it.
 */
@Entity('answer_approvals')
@Index('uq_answer_approvals', ['versionId', 'merchantId'], { unique: true })
@Index('ix_answer_approvals_merchant', ['merchantId', 'decision'])
export class AnswerApproval {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  versionId: number;

  @ManyToOne(() => AnswerTemplateVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_answer_approvals_version' })
  version?: AnswerTemplateVersion;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_answer_approvals_merchant' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 24 })
  decision: AnswerDecision;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'int' })
  decidedByUserId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by_user_id', foreignKeyConstraintName: 'fk_answer_approvals_user' })
  decidedBy?: User;

  @Column({ type: 'datetime' })
  decidedAt: Date;
}
