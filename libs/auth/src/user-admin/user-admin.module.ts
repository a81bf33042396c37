import { Module } from '@nestjs/common';
import { AuthModule } from '../auth.module';
import { AccountPasswordService } from './account-password.service';
import { UserAdminService } from './user-admin.service';

/** User administration (invitations, disable, unlock, second-factor reset) and a user's own password (change, forgotten-password mail). Needs MailModule (global). */
@Module({
  imports: [AuthModule],
  providers: [UserAdminService, AccountPasswordService],
  exports: [UserAdminService, AccountPasswordService],
})
export class UserAdminModule {}
