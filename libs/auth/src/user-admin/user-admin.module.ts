import { Module } from '@nestjs/common';
import { AuthModule } from '../auth.module';
import { UserAdminService } from './user-admin.service';

/** User administration (invitations, disable, unlock, second-factor reset). Needs MailModule (global). */
@Module({
  imports: [AuthModule],
  providers: [UserAdminService],
  exports: [UserAdminService],
})
export class UserAdminModule {}
