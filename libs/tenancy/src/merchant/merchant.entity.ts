import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant: one of the breached platform's merchants, on whose behalf the desk answers. */
@Entity('merchants')
@Index('uq_merchants_code', ['code'], { unique: true })
export class Merchant {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** When the free support ends; null while no end is agreed. */
  @Column({ type: 'datetime', nullable: true })
  supportEndsAt: Date | null;

  /** Business addresses the merchant chose for notices (not end-user data). */
  @Column({ type: 'simple-json' })
  notificationEmails: string[];

  /** CIDR ranges its users may sign in from; empty means no restriction. */
  @Column({ type: 'simple-json' })
  allowedIpRanges: string[];

  /**
   * Business days after a hand-back before the merchant is reminded, once, that the shopper
   * still waits for its answer (1–20; the merchant admin sets it in the portal).
   */
  @Column({ type: 'int', default: 3 })
  handBackReminderDays: number;

  /** The merchant admin requires a TOTP second factor of every user of the merchant. */
  @Column({ type: 'boolean', default: false })
  requireTotp: boolean;

  /** Days after closing before a ticket's personal data is erased. */
  @Column({ type: 'int' })
  retentionDays: number;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
