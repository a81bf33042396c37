import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * When a user last raised a bulk-view alert: one row per user, claimed with a conditional
 * UPDATE, so however many desk instances see the threshold crossed, one alert goes out per hour.
 * No foreign key, like the audit trail it accompanies.
 */
@Entity('bulk_view_alerts')
export class BulkViewAlert {
  @PrimaryColumn({ type: 'int' })
  userId: number;

  /** The last alert; 1970 for a row made only to be claimed. */
  @Column({ type: 'datetime' })
  alertedAt: Date;

  /** Distinct tickets the user had viewed in the hour before that alert. */
  @Column({ type: 'int' })
  distinctTickets: number;
}
