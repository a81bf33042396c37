import { Module } from '@nestjs/common';
import { AttachmentInspector } from './attachment/attachment-inspector';
import { AttachmentService } from './attachment/attachment.service';
import { InquiryService } from './inquiry/inquiry.service';
import { TicketOpeningService } from './opening/ticket-opening.service';
import { IntakeRulesService } from './rules/intake-rules.service';
import { StatusPageService } from './status-page/status-page.service';
import { StatusLinkRecoveryService } from './status-page/status-link-recovery.service';
import { MailThreadModule } from './mail-thread/mail-thread.module';
import { SlaPolicyService } from './sla-policy/sla-policy.service';

/** Needs, from the app: DatabaseModule, CryptoModule, AuditModule, CalendarModule, MailModule. */
@Module({
  // Global: the desk, the jobs and the inbound mail use the mail-thread services too.
  imports: [MailThreadModule],
  providers: [
    InquiryService,
    StatusPageService,
    TicketOpeningService,
    IntakeRulesService,
    AttachmentService,
    AttachmentInspector,
    StatusLinkRecoveryService,
    SlaPolicyService,
  ],
  exports: [
    SlaPolicyService,
    InquiryService,
    StatusPageService,
    AttachmentService,
    AttachmentInspector,
    StatusLinkRecoveryService,
  ],
})
export class TicketsModule {}
