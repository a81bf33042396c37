import { Module } from '@nestjs/common';
import { MerchantProfileService } from './merchant/merchant-profile.service';
import { SiteService } from './site/site.service';

@Module({
  providers: [SiteService, MerchantProfileService],
  exports: [SiteService, MerchantProfileService],
})
export class TenancyModule {}
