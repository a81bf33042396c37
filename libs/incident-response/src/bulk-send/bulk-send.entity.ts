import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { AnswerTemplateVersion, Incident } from '@madoguchi/incidents';
import { Merchant } from '@madoguchi/tenancy';
import { Ticket } from '@madoguchi/tickets';
import type { BulkSendSelection, BulkSendState } from './bulk-send.constant';

/**
 * One bulk send: an approved answer version sent to a fixed selection of one merchant's
 * tickets. The selection is frozen into {@link BulkSendItem} rows when the run starts, so a
 * restart resumes exactly where it stopped.
 */
@Entity('bulk_sends')
@Index('ix_bulk_sends_state', ['state', 'id'])
@Index('ix_bulk_sends_merchant', ['merchantId', 'id'])
export class BulkSend {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_bulk_sends_merchant' })
  merchant?: Merchant;

  @Column({ type: 'int' })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'fk_bulk_sends_incident' })
  incident?: Incident;

  /** The approved version every item gets (placeholders filled per ticket). */
  @Column({ type: 'int' })
  versionId: number;

  @ManyToOne(() => AnswerTemplateVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_bulk_sends_version' })
  version?: AnswerTemplateVersion;

  @Column({ type: 'varchar', length: 32 })
  selection: BulkSendSelection;

  @Column({ type: 'varchar', length: 16 })
  state: BulkSendState;

  /** Items frozen at the start (the count the preview showed). */
  @Column({ type: 'int' })
  total: number;

  /** Author of every reply of the run, and its auditor of record. */
  @Column({ type: 'int' })
  createdByUserId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_user_id', foreignKeyConstraintName: 'fk_bulk_sends_user' })
  createdBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime', nullable: true })
  finishedAt: Date | null;
}

/** One ticket of a run; sent at most once (unique per run, state changed in the reply's transaction). */
@Entity('bulk_send_items')
@Index('uq_bulk_send_items_ticket', ['bulkSendId', 'ticketId'], { unique: true })
@Index('ix_bulk_send_items_state', ['bulkSendId', 'state', 'id'])
export class BulkSendItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  bulkSendId: number;

  @ManyToOne(() => BulkSend, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bulk_send_id', foreignKeyConstraintName: 'fk_bulk_send_items_run' })
  bulkSend?: BulkSend;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_bulk_send_items_ticket' })
  ticket?: Ticket;

  @Column({ type: 'varchar', length: 16 })
  state: 'pending' | 'sent' | 'skipped';

  /** Why an item was skipped (closed ticket, superseded version, …), for the run's page. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  skipReason: string | null;

  /** The reply message the item produced. */
  @Column({ type: 'int', nullable: true })
  messageId: number | null;

  @Column({ type: 'datetime', nullable: true })
  processedAt: Date | null;
}
