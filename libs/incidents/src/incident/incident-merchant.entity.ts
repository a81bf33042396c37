import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '@madoguchi/tenancy';
import { Incident } from './incident.entity';

/** Whether one merchant is affected by one incident, and when it notified its customers. */
@Entity('incident_merchants')
@Index('uq_incident_merchants', ['incidentId', 'merchantId'], { unique: true })
@Index('ix_incident_merchants_merchant', ['merchantId', 'affected'])
export class IncidentMerchant {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'fk_incident_merchants_incident' })
  incident?: Incident;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_incident_merchants_merchant' })
  merchant?: Merchant;

  @Column({ type: 'boolean' })
  affected: boolean;

  /** The merchant's notice to its customers, a Tokyo date `YYYY-MM-DD`; null if none yet. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  noticeDate: string | null;
}
