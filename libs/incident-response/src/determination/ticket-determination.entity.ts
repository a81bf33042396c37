import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Incident } from '@madoguchi/incidents';
import { Merchant } from '@madoguchi/tenancy';
import { Ticket } from '@madoguchi/tickets';
import { AffectedListUpload } from '../affected-list/affected-list-upload.entity';
import type {
  DeterminationActor,
  DeterminationEvidence,
  DeterminationOutcome,
  DeterminationReviewReason,
} from './determination.constant';

/**
 * A statement on a ticket about whether its requester's data was among the leaked data, and
 * what it rests on (issue 13.1). Rows are never deleted or rewritten: a newer determination
 * supersedes the current one (`superseded_at` set, `current_ticket_id` cleared), which stays as
 * history. `current_ticket_id` is the ticket id while the row is current and null after, under
 * a unique index: a ticket has at most one current determination, whatever races.
 */
@Entity('ticket_determinations')
@Index('uq_ticket_determinations_current', ['currentTicketId'], { unique: true })
@Index('ix_ticket_determinations_ticket', ['ticketId'])
@Index('ix_ticket_determinations_scope', ['merchantId', 'incidentId'])
export class TicketDetermination {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_ticket_determinations_ticket' })
  ticket?: Ticket;

  /** The ticket's merchant (denormalised for the merchant's lists and the list-change check). */
  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'merchant_id',
    foreignKeyConstraintName: 'fk_ticket_determinations_merchant',
  })
  merchant?: Merchant;

  /** The incident the determination is about. */
  @Column({ type: 'int' })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'incident_id',
    foreignKeyConstraintName: 'fk_ticket_determinations_incident',
  })
  incident?: Incident;

  @Column({ type: 'varchar', length: 16 })
  outcome: DeterminationOutcome;

  @Column({ type: 'varchar', length: 32 })
  evidence: DeterminationEvidence;

  /** The agent's reason (FieldCipher: it may hold personal data); null for verified evidence. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** The newest affected-list upload of the incident and merchant when it was made; null: none. */
  @Column({ type: 'int', nullable: true })
  listUploadId: number | null;

  @ManyToOne(() => AffectedListUpload, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'list_upload_id',
    foreignKeyConstraintName: 'fk_ticket_determinations_upload',
  })
  listUpload?: AffectedListUpload;

  @Column({ type: 'varchar', length: 16 })
  actorType: DeterminationActor;

  /** The desk user who made it; null for the end user (status page). */
  @Column({ type: 'int', nullable: true })
  decidedByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'decided_by_user_id',
    foreignKeyConstraintName: 'fk_ticket_determinations_user',
  })
  decidedBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;

  /** The ticket's id while this row is the current determination, null once superseded. */
  @Column({ type: 'int', nullable: true })
  currentTicketId: number | null;

  @Column({ type: 'datetime', nullable: true })
  supersededAt: Date | null;

  /** Set when a list upload (or a verification) contradicts it: it then allows no leak answer. */
  @Column({ type: 'datetime', nullable: true })
  reviewFlaggedAt: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reviewReason: DeterminationReviewReason | null;

  /** The upload that raised the flag (null for a verification that differed). */
  @Column({ type: 'int', nullable: true })
  reviewUploadId: number | null;
}
