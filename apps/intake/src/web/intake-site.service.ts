import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, NotFoundException } from '@madoguchi/common';
import { type SiteWithMerchant, SiteService } from '@madoguchi/tenancy';

/** Resolves the site of a public URL: 404 when unknown, 410 when it takes no inquiries now. */
@Injectable()
export class IntakeSiteService {
  constructor(private readonly sites: SiteService) {}

  async find(slug: string): Promise<SiteWithMerchant> {
    const target = await this.sites.findBySlug(slug);
    if (!target) throw new NotFoundException();
    return target;
  }

  async findOpen(slug: string): Promise<SiteWithMerchant> {
    const target = await this.find(slug);
    const state = this.sites.intakeState(target);
    if (state !== 'open') throw new IntakeClosedException(target, state);
    return target;
  }
}

export class IntakeClosedException extends DomainException {
  constructor(
    readonly target: SiteWithMerchant,
    readonly reason: 'closed' | 'support_ended',
  ) {
    super(ErrorCode.IntakeClosed, reason === 'closed' ? 'intake closed' : 'support period over');
  }
}
