import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MerchantScope } from '@madoguchi/common';
import { Site } from '../site/site.entity';
import { Merchant } from './merchant.entity';

/** The names a merchant's own pages show: only ever the merchant of the caller's scope. */
@Injectable()
export class MerchantProfileService {
  constructor(private readonly dataSource: DataSource) {}

  /** The merchant's name ('' if the row is gone: the page still renders). */
  async name(scope: MerchantScope): Promise<string> {
    const merchant = await this.dataSource.manager.findOneBy(Merchant, { id: scope.merchantId });
    return merchant?.name ?? '';
  }

  /**
   * The merchant's name and its first site's display name (the merchant's name without a
   * site): the sample values of an answer template's `{{merchant}}` and `{{site}}`.
   */
  async sampleNames(scope: MerchantScope): Promise<{ merchant: string; site: string }> {
    const manager = this.dataSource.manager;
    const [merchant, site] = await Promise.all([
      manager.findOneByOrFail(Merchant, { id: scope.merchantId }),
      manager.findOne(Site, { where: { merchantId: scope.merchantId }, order: { id: 'ASC' } }),
    ]);
    return { merchant: merchant.name, site: site?.displayName ?? merchant.name };
  }
}
