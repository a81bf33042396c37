import { Module } from '@nestjs/common';
import { IpAccessService } from './ip/ip-access.service';
import { LoginService } from './login/login.service';
import { LogoutService } from './login/logout.service';
import { SessionService } from './session/session.service';
import { TotpService } from './totp/totp.service';

/** Login, sessions, TOTP and IP allow-lists. Needs, from the app: DatabaseModule, CryptoModule, AuditModule, ConfigModule. */
@Module({
  providers: [LoginService, LogoutService, SessionService, TotpService, IpAccessService],
  exports: [LoginService, LogoutService, SessionService, TotpService, IpAccessService],
})
export class AuthModule {}
