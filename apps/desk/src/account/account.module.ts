import { Module } from '@nestjs/common';
import { UserAdminModule } from '@madoguchi/auth';
import { AccountPasswordController } from './password/password.controller';
import { PasswordAttemptLimiter } from './password/password-attempt-limiter.service';

/** A user's own account: the password change and the forgotten-password pages. */
@Module({
  imports: [UserAdminModule],
  controllers: [AccountPasswordController],
  providers: [PasswordAttemptLimiter],
})
export class AccountModule {}
