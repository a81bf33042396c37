import { Module } from '@nestjs/common';
import { UserAdminModule } from '@madoguchi/auth';
import { MerchantSettingsUsersService } from './merchant-settings-users.service';
import { MerchantSettingsService } from './merchant-settings.service';

/** A merchant admin's own settings and users (the portal). Needs DatabaseModule, AuditModule. */
@Module({
  imports: [UserAdminModule],
  providers: [MerchantSettingsService, MerchantSettingsUsersService],
  exports: [MerchantSettingsService, MerchantSettingsUsersService],
})
export class MerchantSettingsModule {}
