import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditActorType = 'user' | 'end_user' | 'system' | 'twilio';

/**
 * Append-only trail of access and changes. No foreign keys: the trail must outlive what it
 * names, and the application only ever inserts.
 */
@Entity('audit_events')
@Index('ix_audit_events_merchant_time', ['merchantId', 'createdAt'])
@Index('ix_audit_events_action_time', ['action', 'createdAt'])
@Index('ix_audit_events_actor_action_time', ['actorId', 'action', 'createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  actorType: AuditActorType;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'int', nullable: true })
  merchantId: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  /** Non-personal details as JSON (what changed, counts); never personal values. */
  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
