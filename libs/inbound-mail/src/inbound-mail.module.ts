import { Module } from '@nestjs/common';
import { TenancyModule } from '@madoguchi/tenancy';
import { TicketsModule } from '@madoguchi/tickets';
import { InboundMailService } from './ingest/inbound-mail.service';
import { InboundMessageWriter } from './ingest/inbound-message-writer.service';
import { InboundRoutingService } from './ingest/inbound-routing.service';

/**
 * Mail that arrives (docs/email.md): `InboundMailService.ingest`, called by the SMTP listener
 * (intake app) and the IMAP poller. Needs, from the app: ConfigModule, ClockModule,
 * DatabaseModule, CryptoModule, AuditModule, CalendarModule, MailModule (as TicketsModule does).
 */
@Module({
  imports: [TenancyModule, TicketsModule],
  providers: [InboundMailService, InboundRoutingService, InboundMessageWriter],
  exports: [InboundMailService],
})
export class InboundMailModule {}
