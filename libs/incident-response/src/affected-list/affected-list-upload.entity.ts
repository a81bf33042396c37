import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Incident } from '@madoguchi/incidents';
import { Merchant } from '@madoguchi/tenancy';
import type { AffectedListEncoding } from './affected-list-csv.util';

export const AFFECTED_LIST_MODES = ['replace', 'add'] as const;
export type AffectedListMode = (typeof AFFECTED_LIST_MODES)[number];

/** One accepted upload of an affected-customer list: who, when, how, and counts only. */
@Entity('affected_list_uploads')
@Index('ix_affected_list_uploads_scope', ['merchantId', 'incidentId', 'createdAt'])
export class AffectedListUpload {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'incident_id',
    foreignKeyConstraintName: 'fk_affected_list_uploads_incident',
  })
  incident?: Incident;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'merchant_id',
    foreignKeyConstraintName: 'fk_affected_list_uploads_merchant',
  })
  merchant?: Merchant;

  @Column({ type: 'int', nullable: true })
  uploadedByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'uploaded_by_user_id',
    foreignKeyConstraintName: 'fk_affected_list_uploads_user',
  })
  uploadedBy?: User;

  @Column({ type: 'varchar', length: 8 })
  mode: AffectedListMode;

  @Column({ type: 'varchar', length: 16 })
  encoding: AffectedListEncoding;

  @Column({ type: 'int' })
  rowsRead: number;

  /** Rows that put at least one new value on the list. */
  @Column({ type: 'int' })
  rowsAdded: number;

  /** Valid rows whose every value was already on the list (or earlier in the file). */
  @Column({ type: 'int' })
  duplicateRows: number;

  @Column({ type: 'int' })
  rowsRejected: number;

  /** Values on the list after this upload. */
  @Column({ type: 'int' })
  listSize: number;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
