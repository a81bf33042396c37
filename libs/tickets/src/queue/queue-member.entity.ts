import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Queue } from '@madoguchi/tenancy';

/** An agent's membership of a queue. */
@Entity('queue_members')
@Index('ix_queue_members_user', ['userId'])
export class QueueMember {
  @PrimaryColumn({ type: 'int' })
  queueId: number;

  @PrimaryColumn({ type: 'int' })
  userId: number;

  @ManyToOne(() => Queue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'queue_id', foreignKeyConstraintName: 'fk_queue_members_queue' })
  queue?: Queue;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_queue_members_user' })
  user?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
