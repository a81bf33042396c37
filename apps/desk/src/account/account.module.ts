import { Module } from '@nestjs/common';
import { UserAdminModule } from '@madoguchi/auth';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AccountPasswordController } from './password/password.controller';
import { PasswordAttemptLimiter } from './password/password-attempt-limiter.service';
import { AccountSignatureController } from './signature/signature.controller';

/**
 * A user's own account: the password change and the forgotten-password pages, and an agent's
 * reply signature (issue 15).
 */
@Module({
  imports: [UserAdminModule, TicketDeskModule],
  controllers: [AccountPasswordController, AccountSignatureController],
  providers: [PasswordAttemptLimiter],
})
export class AccountModule {}
