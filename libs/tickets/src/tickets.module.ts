import { Module } from '@nestjs/common';
import { InquiryService } from './inquiry/inquiry.service';
import { TicketOpeningService } from './opening/ticket-opening.service';
import { StatusPageService } from './status-page/status-page.service';

/** Needs, from the app: DatabaseModule, CryptoModule, AuditModule, CalendarModule, MailModule. */
@Module({
  providers: [InquiryService, StatusPageService, TicketOpeningService],
  exports: [InquiryService, StatusPageService],
})
export class TicketsModule {}
