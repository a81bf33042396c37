import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Ticket } from '../ticket/ticket.entity';
import type {
  BulkActionKind,
  BulkRunState,
  BulkItemState,
  BulkSkipReason,
} from './bulk-action.constant';

/**
 * One bulk action (issue 15): an action on a fixed set of tickets, previewed first. The
 * selection and each ticket's version at the preview are frozen into {@link BulkRunItem} rows;
 * running it claims the run once (preview → running), so a double submit runs nothing twice.
 */
@Entity('bulk_runs')
@Index('ix_bulk_runs_user', ['createdByUserId', 'id'])
export class BulkRun {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  action: BulkActionKind;

  /**
   * The action's parameters as JSON (assignee, status, priority, category, canned response id,
   * status after the reply). Never text a person typed: a note's body is written on the
   * confirmation and goes straight into the notes.
   */
  @Column({ type: 'varchar', length: 255 })
  params: string;

  @Column({ type: 'varchar', length: 16 })
  state: BulkRunState;

  /** Where the selection came from, for the result page's way back (a desk path). */
  @Column({ type: 'varchar', length: 255 })
  returnTo: string;

  @Column({ type: 'int' })
  total: number;

  @Column({ type: 'int' })
  doneCount: number;

  @Column({ type: 'int' })
  skippedCount: number;

  @Column({ type: 'int' })
  createdByUserId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'created_by_user_id', foreignKeyConstraintName: 'fk_bulk_runs_user' })
  createdBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  finishedAt: Date | null;
}

/** One ticket of a run: done at most once (unique per run × ticket, state changed conditionally). */
@Entity('bulk_run_items')
@Index('uq_bulk_run_items_ticket', ['bulkRunId', 'ticketId'], { unique: true })
export class BulkRunItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  bulkRunId: number;

  @ManyToOne(() => BulkRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bulk_run_id', foreignKeyConstraintName: 'fk_bulk_run_items_run' })
  bulkRun?: BulkRun;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_bulk_run_items_ticket' })
  ticket?: Ticket;

  /** The ticket's version the preview saw: a ticket changed since is skipped. */
  @Column({ type: 'int' })
  expectedVersion: number;

  @Column({ type: 'varchar', length: 16 })
  state: BulkItemState;

  @Column({ type: 'varchar', length: 32, nullable: true })
  skipReason: BulkSkipReason | null;

  /** The desk's own words for why (the life cycle's reason, say); never text a person typed. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  skipDetail: string | null;

  /** The reply or note the item wrote. */
  @Column({ type: 'int', nullable: true })
  messageId: number | null;

  @Column({ type: 'datetime', nullable: true })
  processedAt: Date | null;
}
