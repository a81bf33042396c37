import { Global, Module } from '@nestjs/common';
import { REPLY_GUARD, TicketDeskModule } from '@madoguchi/tickets';
import { DeterminationMergeParticipant } from './determination/determination-merge.participant';
import { DeterminationReplyGuard } from './determination/determination-reply.guard';
import { TicketDeterminationService } from './determination/determination.service';
import { IncidentAnswerService } from './incident-answers/incident-answer.service';

const INCIDENT_DESK_SERVICES = [TicketDeterminationService, IncidentAnswerService];

/**
 * Incident response on the desk: determinations, incident answers, and the reply guard the
 * ticket core calls before a reply goes out. Global because TicketDeskModule (below this lib)
 * injects REPLY_GUARD without importing this module; import it once in the app's root module
 * (the desk will not start without it). Needs what TicketDeskModule needs.
 */
@Global()
@Module({
  imports: [TicketDeskModule],
  providers: [
    ...INCIDENT_DESK_SERVICES,
    DeterminationReplyGuard,
    DeterminationMergeParticipant,
    { provide: REPLY_GUARD, useExisting: DeterminationReplyGuard },
  ],
  exports: [...INCIDENT_DESK_SERVICES, REPLY_GUARD],
})
export class IncidentDeskModule {}
