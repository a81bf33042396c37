import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '@madoguchi/auth';
import { Ticket } from '../ticket/ticket.entity';

export const SLA_ALERT_KINDS = ['due_soon', 'breached'] as const;
export type SlaAlertKind = (typeof SLA_ALERT_KINDS)[number];

/**
 * One alert per ticket × kind × deadline (issue 15): the unique index makes it once, however
 * many desk instances run the alert worker. A new deadline (a priority change, a first reply)
 * may alert again.
 */
@Entity('sla_alerts')
@Index('uq_sla_alerts_ticket_kind_deadline', ['ticketId', 'kind', 'deadline'], { unique: true })
@Index('ix_sla_alerts_queue_created', ['queueId', 'createdAt'])
export class SlaAlert {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_sla_alerts_ticket' })
  ticket?: Ticket;

  @Column({ type: 'int' })
  merchantId: number;

  @Column({ type: 'int' })
  queueId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: SlaAlertKind;

  /** The SLA deadline the alert is about (the ticket's slaDueAt then). */
  @Column({ type: 'datetime' })
  deadline: Date;

  @Column({ type: 'datetime' })
  createdAt: Date;
}

/** An alert as one supervisor has it: read or not. */
@Entity('sla_alert_recipients')
@Index('ix_sla_alert_recipients_user_read', ['userId', 'readAt'])
export class SlaAlertRecipient {
  @PrimaryColumn({ type: 'int' })
  alertId: number;

  @PrimaryColumn({ type: 'int' })
  userId: number;

  @ManyToOne(() => SlaAlert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_sla_alert_recipients_alert' })
  alert?: SlaAlert;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sla_alert_recipients_user' })
  user?: User;

  @Column({ type: 'datetime', nullable: true })
  readAt: Date | null;
}

/** A supervisor who wants SLA alerts by mail too (the toggle on /supervisor/notifications). */
@Entity('sla_alert_mail_opt_ins')
export class SlaAlertMailOptIn {
  @PrimaryColumn({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sla_alert_mail_opt_ins_user' })
  user?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;
}

/**
 * When the alert worker first ran (one row, name `first_run`): deadlines that passed before it
 * are never alerted, so the first deploy does not mail every ticket already breached.
 */
@Entity('sla_alert_marks')
export class SlaAlertMark {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column({ type: 'datetime' })
  at: Date;
}
