import { Module } from '@nestjs/common';
import { ClosureAdminModule } from '@madoguchi/calendar';
import { MerchantAdminModule } from '@madoguchi/tickets';
import { ClosurePagesController } from './closure-pages.controller';
import { MerchantPagesController } from './merchant-pages.controller';
import { SitePagesController } from './site-pages.controller';

/** Operator administration: merchants, sites and calendar closures (server-rendered pages). */
@Module({
  imports: [MerchantAdminModule, ClosureAdminModule],
  controllers: [MerchantPagesController, SitePagesController, ClosurePagesController],
})
export class AdminModule {}
