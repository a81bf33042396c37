import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';

/**
 * The name and signature an agent sets on their account page (issue 15): appended to every
 * reply they write, so the shopper reads who answered. One row per user; none means no signature.
 */
@Entity('user_signatures')
@Index('uq_user_signatures_user', ['userId'], { unique: true })
export class UserSignature {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_signatures_user' })
  user?: User;

  /** The name the shopper reads under the reply (e.g. 「山田」), at most 100 characters. */
  @Column({ type: 'varchar', length: 100 })
  signatureName: string;

  /** Lines under the name (team, hours); optional. */
  @Column({ type: 'text', nullable: true })
  signatureText: string | null;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
