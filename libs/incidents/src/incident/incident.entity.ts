import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';

/**
 * A breach or other event that brings a wave of inquiries. Texts are the operator's own
 * (what happened, which kinds of data leaked), never personal data.
 */
@Entity('incidents')
export class Incident {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** What happened. */
  @Column({ type: 'text' })
  description: string;

  /** What leaked (kinds of data, plain text; no personal data). */
  @Column({ type: 'text' })
  leakedItems: string;

  @Column({ type: 'datetime', nullable: true })
  occurredFrom: Date | null;

  @Column({ type: 'datetime', nullable: true })
  occurredTo: Date | null;

  @Column({ type: 'int', nullable: true })
  createdByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_user_id', foreignKeyConstraintName: 'fk_incidents_created_by' })
  createdBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
