import { Module } from '@nestjs/common';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AgentAvailabilityService } from './agent-availability.service';
import { CallbackService } from './callback.service';
import { CallMergeParticipant } from './call-merge.participant';
import { CallWorkService } from './call-work.service';
import { VoiceTokenService } from './voice-token.service';

/**
 * Taking and wrapping up calls, for the desk. Needs, from the app: DatabaseModule, ConfigModule,
 * CryptoModule, AuditModule, CalendarModule, MailModule, DeskEventsModule.
 */
@Module({
  imports: [TicketDeskModule],
  // CallMergeParticipant: a ticket merge (issue 15) moves the calls too.
  providers: [
    CallWorkService,
    VoiceTokenService,
    CallbackService,
    AgentAvailabilityService,
    CallMergeParticipant,
  ],
  exports: [CallWorkService, VoiceTokenService, CallbackService, AgentAvailabilityService],
})
export class CallWorkModule {}
