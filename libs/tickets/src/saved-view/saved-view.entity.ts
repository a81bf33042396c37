import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Queue } from '@madoguchi/tenancy';

/**
 * A saved view (issue 15): a name and a ticket list filter (the queue list's query string,
 * parsed by the desk's one filter parser), optionally limited to one queue. Personal (only its
 * owner sees it) or shared (every staff member sees it; only supervisors and admins share).
 * The three built-in views are not rows (apps/desk/src/web/saved-views.ts).
 */
@Entity('saved_views')
@Index('ix_saved_views_owner', ['ownerUserId', 'id'])
@Index('ix_saved_views_shared', ['shared', 'id'])
export class SavedView {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ownerUserId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_user_id', foreignKeyConstraintName: 'fk_saved_views_owner' })
  owner?: User;

  @Column({ type: 'boolean' })
  shared: boolean;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The filter as a query string (`status=open&assignee=me`), no personal data. */
  @Column({ type: 'varchar', length: 500 })
  query: string;

  @Column({ type: 'int', nullable: true })
  queueId: number | null;

  @ManyToOne(() => Queue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'queue_id', foreignKeyConstraintName: 'fk_saved_views_queue' })
  queue?: Queue;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
