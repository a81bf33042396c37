import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '../merchant/merchant.entity';

/** A merchant's shop site: the branding of its inquiry form and of the mail sent in its name. */
@Entity('sites')
@Index('uq_sites_slug', ['slug'], { unique: true })
@Index('uq_sites_phone_code', ['phoneCode'], { unique: true })
@Index('ix_sites_merchant', ['merchantId'])
@Index('uq_sites_inbound_alias', ['inboundAlias'], { unique: true })
export class Site {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_sites_merchant' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'varchar', length: 200 })
  displayName: string;

  /** An https URL or a path under the intake's /assets; never a file the user uploaded as-is. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  logoUrl: string | null;

  /** `#rrggbb`, the accent of the form. */
  @Column({ type: 'varchar', length: 7 })
  brandColor: string;

  /** The merchant's own contact page, shown when an inquiry is not for this desk. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  contactUrl: string | null;

  /** Free text of the merchant's own contact (a phone number, opening hours). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  contactText: string | null;

  /** The display name of mail sent to end users in the merchant's name. */
  @Column({ type: 'varchar', length: 200 })
  senderName: string;

  @Column({ type: 'boolean' })
  intakeOpen: boolean;

  /** Short numeric code a caller keys in on the phone window to tag the call with this shop. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  phoneCode: string | null;

  /**
   * A further inbound address of the site besides `<slug>@INBOUND_MAIL_DOMAIN` (issue 14), stored
   * lower-case: a local part at the inbound domain (`support-a`), or a whole address that is
   * forwarded to the desk (`support@shop.example.jp`). Mail to it opens a ticket like the slug's.
   */
  @Column({ type: 'varchar', length: 254, nullable: true })
  inboundAlias: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
