import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '@madoguchi/auth';
import { SlaNotificationService, TicketScopeService } from '@madoguchi/tickets';
import { AuthApiController } from './auth-api.controller';
import { AttemptLimiter } from './attempt-limiter.service';
import { LoginController } from './login/login.controller';
import { LocalFormAuthGuard, LocalAuthGuard } from './local-auth.guard';
import { LocalStrategy } from './local.strategy';
import { SessionGuard } from './session.guard';

/**
 * The desk's login layer: the global session guard (deny by default), passport's local strategy
 * over the auth lib, the login/logout/enrolment routes. TicketScopeService is provided here too
 * so the guard can resolve a request's scope whatever else the app imports (it is stateless).
 */
@Module({
  imports: [AuthModule],
  controllers: [AuthApiController, LoginController],
  providers: [
    LocalStrategy,
    AttemptLimiter,
    LocalAuthGuard,
    LocalFormAuthGuard,
    TicketScopeService,
    // The guard counts a supervisor's unread SLA alerts for the navigation's badge (stateless).
    SlaNotificationService,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [AuthModule, AttemptLimiter],
})
export class DeskAuthModule {}
