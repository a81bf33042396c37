import { Module } from '@nestjs/common';
import { InquiryService } from './inquiry/inquiry.service';
import { StatusPageService } from './status-page/status-page.service';

/** Needs, from the app: DatabaseModule, CryptoModule, AuditModule, CalendarModule, MailModule, EventEmitterModule. */
@Module({
  providers: [InquiryService, StatusPageService],
  exports: [InquiryService, StatusPageService],
})
export class TicketsModule {}
