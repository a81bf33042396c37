import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@madoguchi/common';
import { Merchant } from '../merchant/merchant.entity';
import { Site } from './site.entity';

export type IntakeState = 'open' | 'closed' | 'support_ended';

/** A site with its merchant, as the public intake needs it. */
export interface SiteWithMerchant {
  site: Site;
  merchant: Merchant;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

@Injectable()
export class SiteService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** null for an unknown (or malformed) slug: the intake answers 404 without saying more. */
  async findBySlug(slug: string): Promise<SiteWithMerchant | null> {
    if (!SLUG.test(slug)) return null;
    // One query (every intake request runs this): `findOne` with `relations` takes two.
    const site = await this.dataSource
      .getRepository(Site)
      .createQueryBuilder('site')
      .innerJoinAndSelect('site.merchant', 'merchant')
      .where('site.slug = :slug', { slug })
      .getOne();
    if (!site?.merchant) return null;
    return { site, merchant: site.merchant };
  }

  /** Whether the site takes inquiries now: closed by an admin, or the merchant's support period over. */
  intakeState({ site, merchant }: SiteWithMerchant, now: Date = this.clock.now()): IntakeState {
    if (merchant.supportEndsAt !== null && merchant.supportEndsAt.getTime() <= now.getTime())
      return 'support_ended';
    return site.intakeOpen ? 'open' : 'closed';
  }
}
