import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Merchant, Site } from '@madoguchi/tenancy';
import { Ticket } from '@madoguchi/tickets';

/** One row per Twilio CallSid on the window's number, whatever order its callbacks arrive in. */
@Entity('calls')
@Index('uq_calls_call_sid', ['callSid'], { unique: true })
@Index('ix_calls_merchant_started', ['merchantId', 'startedAt'])
@Index('ix_calls_from_index', ['fromIndex'])
@Index('ix_calls_status_enqueued', ['status', 'enqueuedAt'])
@Index('ix_calls_outcome_callback', ['outcome', 'callbackDoneAt'])
@Index('ix_calls_started', ['startedAt'])
export class Call {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  callSid: string;

  /** Encrypted caller number; null when the caller withheld it. */
  @Column({ type: 'text', nullable: true })
  fromNumber: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  fromIndex: string | null;

  @Column({ type: 'boolean' })
  callerIdWithheld: boolean;

  @Column({ type: 'varchar', length: 32 })
  toNumber: string;

  @Column({ type: 'varchar', length: 32 })
  status: string;

  /** Highest Twilio SequenceNumber applied, so a late callback does not undo a later one. */
  @Column({ type: 'int', nullable: true })
  lastSequence: number | null;

  @Column({ type: 'datetime', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  enqueuedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  answeredAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  waitSeconds: number | null;

  @Column({ type: 'int', nullable: true })
  talkSeconds: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome: string | null;

  @Column({ type: 'boolean', nullable: true })
  withinHours: boolean | null;

  @Column({ type: 'int', nullable: true })
  agentId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'fk_calls_agent' })
  agent?: User;

  @Column({ type: 'int', nullable: true })
  merchantId: number | null;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_calls_merchant' })
  merchant?: Merchant;

  /** The site whose phone code the caller keyed in; it tags the call with its merchant. */
  @Column({ type: 'int', nullable: true })
  siteId: number | null;

  @ManyToOne(() => Site, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'fk_calls_site' })
  site?: Site;

  /** Twilio's `QueueResult` from the <Enqueue> action (bridged, hangup, …). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  queueResult: string | null;

  /** Missed calls and voicemails are a callback to-do until an agent marks them done. */
  @Column({ type: 'datetime', nullable: true })
  callbackDoneAt: Date | null;

  @Column({ type: 'int', nullable: true })
  callbackDoneByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'callback_done_by_user_id',
    foreignKeyConstraintName: 'fk_calls_callback_done_by',
  })
  callbackDoneBy?: User;

  @Column({ type: 'int', nullable: true })
  ticketId: number | null;

  @ManyToOne(() => Ticket, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_calls_ticket' })
  ticket?: Ticket;

  /** Encrypted (FieldCipher) Twilio RecordingSid of a voicemail. */
  @Column({ type: 'text', nullable: true })
  recordingSid: string | null;

  /** Encrypted recording URL (it names the account and the recording). */
  @Column({ type: 'text', nullable: true })
  recordingUrl: string | null;

  @Column({ type: 'int', nullable: true })
  recordingSeconds: number | null;

  /** When the caller was offered voicemail or a callback (waited too long, or nobody free). */
  @Column({ type: 'datetime', nullable: true })
  overflowOfferedAt: Date | null;

  /** The caller pressed the callback key: outcome callback_requested, on the callback list. */
  @Column({ type: 'datetime', nullable: true })
  callbackRequestedAt: Date | null;

  /** The agent who claimed the callback (one at a time; a conditional update decides). */
  @Column({ type: 'int', nullable: true })
  callbackClaimedByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'callback_claimed_by_user_id',
    foreignKeyConstraintName: 'fk_calls_callback_claimed_by',
  })
  callbackClaimedBy?: User;

  @Column({ type: 'datetime', nullable: true })
  callbackClaimedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  callbackAttempts: number;

  /** The last attempt's outcome: reached, no_answer, message_left. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  callbackOutcome: string | null;

  /** Encrypted: the last attempt's note may name the caller. */
  @Column({ type: 'text', nullable: true })
  callbackNote: string | null;

  @Column({ type: 'datetime', nullable: true })
  callbackAttemptedAt: Date | null;

  /** The recording is kept sealed in call_recording_parts (TELEPHONY_STORE_RECORDINGS). */
  @Column({ type: 'datetime', nullable: true })
  recordingStoredAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  recordingContentType: string | null;

  /** The recording was deleted at Twilio after it was stored here. */
  @Column({ type: 'datetime', nullable: true })
  recordingRemoteDeletedAt: Date | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
