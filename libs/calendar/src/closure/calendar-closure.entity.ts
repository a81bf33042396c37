import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A date the window is closed although the calendar says open (year-end 12/29–1/3, say). */
@Entity('calendar_closures')
@Index('uq_calendar_closures_date', ['date'], { unique: true })
export class CalendarClosure {
  @PrimaryGeneratedColumn()
  id: number;

  /** 'YYYY-MM-DD', a date in Tokyo. */
  @Column({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  /** Who added it; no relation, so the calendar lib does not depend on auth. */
  @Column({ type: 'int', nullable: true })
  createdByUserId: number | null;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
