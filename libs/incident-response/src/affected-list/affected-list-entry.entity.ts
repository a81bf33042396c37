import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Incident } from '@madoguchi/incidents';
import { Merchant } from '@madoguchi/tenancy';
import type { AffectedListColumn } from './affected-list-csv.util';

/**
 * One value of a merchant's affected-customer list for one incident, kept only as the HMAC
 * blind index of its normalised form (the same index tickets keep for the requester's email,
 * phone and order number), never the value itself.
 */
@Entity('affected_list_entries')
@Index('uq_affected_list_entries_value', ['incidentId', 'merchantId', 'valueIndex'], {
  unique: true,
})
@Index('ix_affected_list_entries_merchant', ['merchantId'])
export class AffectedListEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'incident_id',
    foreignKeyConstraintName: 'fk_affected_list_entries_incident',
  })
  incident?: Incident;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'merchant_id',
    foreignKeyConstraintName: 'fk_affected_list_entries_merchant',
  })
  merchant?: Merchant;

  /** Which column the value came from; the index itself is purpose-bound too. */
  @Column({ type: 'varchar', length: 8 })
  kind: AffectedListColumn;

  @Column({ type: 'varchar', length: 64 })
  valueIndex: string;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
