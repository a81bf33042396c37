import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '@madoguchi/tenancy';

export const USER_ROLES = [
  'admin',
  'supervisor',
  'agent',
  'merchant_admin',
  'merchant_viewer',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A staff user's availability for the window's calls: only `available` counts as free. */
export const CALL_AVAILABILITIES = ['available', 'busy', 'away'] as const;
export type CallAvailability = (typeof CALL_AVAILABILITIES)[number];

export const MERCHANT_ROLES: readonly UserRole[] = ['merchant_admin', 'merchant_viewer'];

/** Operator staff (merchantId null) or a merchant's user. */
@Entity('users')
@Index('uq_users_email', ['email'], { unique: true })
@Index('ix_users_merchant', ['merchantId'])
@Index('uq_users_invite_token', ['inviteTokenHash'], { unique: true })
@Index('uq_users_password_reset_token', ['passwordResetTokenHash'], { unique: true })
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  displayName: string;

  @Column({ type: 'varchar', length: 32 })
  role: UserRole;

  @Column({ type: 'int', nullable: true })
  merchantId: number | null;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_users_merchant' })
  merchant?: Merchant;

  /** argon2id, PHC string. */
  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  /** Encrypted TOTP secret; null until enrolled. */
  @Column({ type: 'text', nullable: true })
  totpSecret: string | null;

  /** The last accepted TOTP time step, so a code is accepted once. */
  @Column({ type: 'int', nullable: true })
  totpLastStep: number | null;

  @Column({ type: 'int' })
  failedLoginCount: number;

  @Column({ type: 'datetime', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'datetime', nullable: true })
  disabledAt: Date | null;

  /** SHA-256 of a pending invitation's one-time token; null once the password is set. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  inviteTokenHash: string | null;

  @Column({ type: 'datetime', nullable: true })
  inviteExpiresAt: Date | null;

  /** SHA-256 of the one-time token of a forgotten-password mail; null when none is pending. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  passwordResetTokenHash: string | null;

  @Column({ type: 'datetime', nullable: true })
  passwordResetExpiresAt: Date | null;

  /** Staff: whether the window's calls may go to this user now (docs/telephony.md). */
  @Column({ type: 'varchar', length: 16, default: 'available' })
  callAvailability: CallAvailability;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
