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
import { Incident } from '@madoguchi/incidents';
import { Merchant, Site, Queue } from '@madoguchi/tenancy';
import type {
  TicketCategory,
  TicketChannel,
  TicketPriority,
  TicketStatus,
} from './ticket.constant';

/**
 * One inquiry. Requester fields are AES-GCM ciphertext (FieldCipher); the *Index columns are
 * HMAC blind indexes for exact-match search. The status token is looked up by its SHA-256 and
 * kept sealed only to repeat the link in later mails.
 */
@Entity('tickets')
@Index('uq_tickets_reference', ['reference'], { unique: true })
@Index('uq_tickets_status_token', ['statusTokenHash'], { unique: true })
@Index('ix_tickets_queue_status_sla', ['queueId', 'status', 'slaDueAt', 'assigneeId'])
@Index('ix_tickets_merchant_status', ['merchantId', 'status'])
@Index('ix_tickets_queue_sla_due', ['queueId', 'slaDueAt'])
@Index('ix_tickets_queue_priority_sla', ['queueId', 'priorityRank', 'slaDueAt'])
@Index('ix_tickets_updated_at', ['updatedAt'])
@Index('ix_tickets_email_index', ['requesterEmailIndex'])
@Index('ix_tickets_phone_index', ['requesterPhoneIndex'])
@Index('ix_tickets_order_index', ['orderNumberIndex'])
@Index('ix_tickets_incident', ['incidentId', 'merchantId', 'status'])
@Index('ix_tickets_hand_back_open', ['status', 'handBackAnsweredAt', 'handBackRemindedAt'])
@Index('ix_tickets_merged_into', ['mergedIntoId'])
@Index('ix_tickets_pending_customer', ['status', 'pendingCustomerSince'])
export class Ticket {
  @PrimaryGeneratedColumn()
  id: number;

  /** Short, read-out-able reference such as `K7QM-3XHD` (no 0/O/1/I/L). */
  @Column({ type: 'varchar', length: 16 })
  reference: string;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_tickets_merchant' })
  merchant?: Merchant;

  @Column({ type: 'int', nullable: true })
  siteId: number | null;

  @ManyToOne(() => Site, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'fk_tickets_site' })
  site?: Site;

  @Column({ type: 'int' })
  queueId: number;

  @ManyToOne(() => Queue, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'queue_id', foreignKeyConstraintName: 'fk_tickets_queue' })
  queue?: Queue;

  @Column({ type: 'varchar', length: 16 })
  channel: TicketChannel;

  @Column({ type: 'varchar', length: 32 })
  category: TicketCategory;

  /** The incident the inquiry is about; set at intake for merchants an incident affects. */
  @Column({ type: 'int', nullable: true })
  incidentId: number | null;

  @ManyToOne(() => Incident, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'fk_tickets_incident' })
  incident?: Incident;

  @Column({ type: 'varchar', length: 32 })
  status: TicketStatus;

  @Column({ type: 'varchar', length: 16 })
  priority: TicketPriority;

  /** TICKET_PRIORITY_RANK of `priority` (urgent highest), written with it: the queues sort by it. */
  @Column({ type: 'int', default: 1 })
  priorityRank: number;

  @Column({ type: 'int', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'fk_tickets_assignee' })
  assignee?: User;

  @Column({ type: 'text', nullable: true })
  requesterName: string | null;

  @Column({ type: 'text', nullable: true })
  requesterEmail: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requesterEmailIndex: string | null;

  @Column({ type: 'text', nullable: true })
  requesterPhone: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requesterPhoneIndex: string | null;

  @Column({ type: 'text', nullable: true })
  orderNumber: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  orderNumberIndex: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  statusTokenHash: string | null;

  /**
   * The status token itself, sealed (FieldCipher), so every mail can repeat the status link;
   * looked up only by `statusTokenHash`. Null for tickets born before it was kept (their mails
   * point to the first mail's link) and for tickets without a link (phone).
   */
  @Column({ type: 'text', nullable: true })
  statusToken: string | null;

  @Column({ type: 'datetime', nullable: true })
  firstResponseDueAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  firstRespondedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  resolutionDueAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  resolvedAt: Date | null;

  /**
   * The next SLA deadline: first-response due until the first reply, then resolution due;
   * null once resolved, closed or handed back. Queues sort by it.
   */
  @Column({ type: 'datetime', nullable: true })
  slaDueAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  closedAt: Date | null;

  /**
   * Hand-back (issue 13): when the ticket was last handed back to the merchant, when and by whom
   * the merchant marked it answered in the portal, and when the one reminder went out. The
   * status stays handed_back; "open" for the merchant means handedBackAt set, answeredAt null.
   */
  @Column({ type: 'datetime', nullable: true })
  handedBackAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  handBackAnsweredAt: Date | null;

  @Column({ type: 'int', nullable: true })
  handBackAnsweredByUserId: number | null;

  @Column({ type: 'datetime', nullable: true })
  handBackRemindedAt: Date | null;

  /**
   * Issue 15: an earlier ticket of the same requester (email or phone blind index) and site
   * within 24 hours, found at intake: a probable duplicate, shown on the ticket and in the list.
   */
  @Column({ type: 'int', nullable: true })
  probableDuplicateOfId: number | null;

  /**
   * Issue 15: the ticket this one was merged into (its conversation, calls and files moved
   * there); the merged ticket is closed and read-only, its status link leads to the survivor.
   */
  @Column({ type: 'int', nullable: true })
  mergedIntoId: number | null;

  @Column({ type: 'datetime', nullable: true })
  mergedAt: Date | null;

  /**
   * Rules (issue 15): when the ticket last entered pending_customer (set by writeTicketChange)
   * and when the pending automation's one reminder for that wait went out (docs/rules.md).
   */
  @Column({ type: 'datetime', nullable: true })
  pendingCustomerSince: Date | null;

  @Column({ type: 'datetime', nullable: true })
  pendingRemindedAt: Date | null;

  /** Set when retention erased the personal fields; statistics keep the row. */
  @Column({ type: 'datetime', nullable: true })
  erasedAt: Date | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;

  /** Optimistic lock: a stale update is refused, not applied. */
  @VersionColumn({ type: 'int' })
  version: number;
}
