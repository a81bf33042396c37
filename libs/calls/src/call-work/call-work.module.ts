import { Module } from '@nestjs/common';
import { TicketDeskModule } from '@madoguchi/tickets';
import { CallWorkService } from './call-work.service';
import { VoiceTokenService } from './voice-token.service';

/**
 * Taking and wrapping up calls, for the desk. Needs, from the app: DatabaseModule, ConfigModule,
 * CryptoModule, AuditModule, CalendarModule, MailModule, DeskEventsModule.
 */
@Module({
  imports: [TicketDeskModule],
  providers: [CallWorkService, VoiceTokenService],
  exports: [CallWorkService, VoiceTokenService],
})
export class CallWorkModule {}
