import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@madoguchi/audit';
import { CalendarModule } from '@madoguchi/calendar';
import { type Clock, ClockModule } from '@madoguchi/common';
import { type AppConfig, ConfigModule } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/schema';
import { HealthController } from '@madoguchi/http';
import { InboundImapPoller, InboundMailModule } from '@madoguchi/inbound-mail';
import { MailModule } from '@madoguchi/mail';
import { TenancyModule } from '@madoguchi/tenancy';
import { FaqPageModule, LeakCheckModule } from '@madoguchi/incident-response';
import { TicketsModule } from '@madoguchi/tickets';
import { AssetsController } from './assets/assets.controller';
import { AttachmentChecker } from './attachments/attachment-checker.service';
import { InboundSmtpListener } from './inbound-mail/inbound-smtp-listener';
import { IncidentPageController } from './incident-page/incident-page.controller';
import { InquiryApiController } from './inquiry/inquiry-api.controller';
import { InquiryFormController } from './inquiry/inquiry-form.controller';
import { StatusLinkController } from './status-link/status-link.controller';
import { StatusPageController } from './status-page/status-page.controller';
import { IntakeSiteService } from './web/intake-site.service';

/**
 * The public app: it can create a ticket and read or answer one ticket with its token. Nothing
 * else: no staff login, no listing, no search. It writes mail to the outbox but sends none.
 */
export interface IntakeModuleOptions {
  /** Where "now" comes from; tests pass a fixed clock. Default: the system clock. */
  clock?: Clock;
}

@Module({})
export class IntakeModule {
  static forRoot(config: AppConfig, options: IntakeModuleOptions = {}): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        DatabaseModule,
        CryptoModule,
        AuditModule,
        CalendarModule.forRoot({ closures: config.calendar.closures, fromDatabase: true }),
        MailModule.forRoot({ worker: false }),
        TenancyModule,
        TicketsModule,
        LeakCheckModule,
        FaqPageModule,
        // Mail that arrives: the SMTP listener (INBOUND_SMTP_PORT) and the IMAP poller (INBOUND_IMAP_URL).
        InboundMailModule,
      ],
      controllers: [
        HealthController,
        InquiryFormController,
        InquiryApiController,
        StatusPageController,
        StatusLinkController,
        IncidentPageController,
        AssetsController,
      ],
      providers: [IntakeSiteService, AttachmentChecker, InboundSmtpListener, InboundImapPoller],
    };
  }
}
