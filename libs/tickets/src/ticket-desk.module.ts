import { Module } from '@nestjs/common';
import { IncidentsModule } from '@madoguchi/incidents';
import { AttachmentInspector } from './attachment/attachment-inspector';
import { AttachmentService } from './attachment/attachment.service';
import { CannedResponseService } from './canned-response/canned-response.service';
import { HandBackService } from './hand-back/hand-back.service';
import { TicketClaimService } from './claim/ticket-claim.service';
import { MessageDeliveryListener } from './message/message-delivery.listener';
import { TicketOpeningService } from './opening/ticket-opening.service';
import { IntakeRulesService } from './rules/intake-rules.service';
import { RuleAdminService } from './rules/rule-admin.service';
import { PhoneTicketService } from './phone/phone-ticket.service';
import { QueueService } from './queue/queue.service';
import { TicketScopeService } from './scope/ticket-scope.service';
import { TicketSearchService } from './search/ticket-search.service';
import { TicketWorkService } from './ticket/ticket-work.service';
import { TicketViewAuditService } from './view-audit/ticket-view-audit.service';
import { MailThreadModule } from './mail-thread/mail-thread.module';
import { SlaPolicyService } from './sla-policy/sla-policy.service';
import { TicketTriageService } from './triage/ticket-triage.service';
import { SlaNotificationService } from './sla-alert/sla-notification.service';
import { BulkActionService } from './bulk-action/bulk-action.service';
import { SavedViewService } from './saved-view/saved-view.service';
import { TicketMergeParticipants } from './merge/ticket-merge-participants';
import { TicketMergeService } from './merge/ticket-merge.service';
import { TicketPresenceService } from './presence/ticket-presence.service';
import { UserSignatureService } from './signature/user-signature.service';

const DESK_SERVICES = [
  TicketScopeService,
  QueueService,
  TicketClaimService,
  TicketWorkService,
  CannedResponseService,
  TicketSearchService,
  PhoneTicketService,
  TicketOpeningService,
  IntakeRulesService,
  RuleAdminService,
  TicketViewAuditService,
  HandBackService,
  AttachmentService,
  AttachmentInspector,
  SlaPolicyService,
  TicketTriageService,
  SlaNotificationService,
  BulkActionService,
  SavedViewService,
  TicketMergeService,
  TicketMergeParticipants,
  TicketPresenceService,
  UserSignatureService,
];

/**
 * The staff and merchant side of tickets, for the desk only. The public intake imports
 * TicketsModule and must never get these powers (listing, search, replies), so they live in a
 * module of their own. Needs, from the app: DatabaseModule, CryptoModule, AuditModule,
 * CalendarModule, MailModule, DeskEventsModule (@madoguchi/common), and a global REPLY_GUARD
 * provider (the desk's: IncidentDeskModule of @madoguchi/incident-response).
 */
@Module({
  // IncidentsModule is re-exported: the desk's incident pages use its services too.
  imports: [IncidentsModule, MailThreadModule],
  providers: [...DESK_SERVICES, MessageDeliveryListener],
  exports: [...DESK_SERVICES, IncidentsModule],
})
export class TicketDeskModule {}
