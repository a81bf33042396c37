import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@madoguchi/audit';
import { CalendarModule } from '@madoguchi/calendar';
import { type Clock, ClockModule, DeskEventsModule } from '@madoguchi/common';
import { type AppConfig, ConfigModule } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/schema';
import { HealthController } from '@madoguchi/http';
import { MailModule } from '@madoguchi/mail';
import { TenancyModule } from '@madoguchi/tenancy';
import { TicketDeskModule } from '@madoguchi/tickets';
import { TicketJobsModule } from '@madoguchi/jobs';
import { IncidentDeskModule } from '@madoguchi/incident-response';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { BulkSendPagesModule } from './console/bulk-send/bulk-send.module';
import { IncidentReportPagesModule } from './console/incident-report/incident-report.module';
import { UsersAdminModule } from './admin/users-admin.module';
import { DeskApiModule } from './api/desk-api.module';
import { DeskAuthModule } from './auth/desk-auth.module';
import { CallsModule } from './console/calls/calls.module';
import { ConsoleModule } from './console/console.module';
import { LiveModule } from './live/live.module';
import { PortalModule } from './portal/portal.module';
import { SupervisorModule } from './supervisor/supervisor.module';
import { WebKitModule } from './web/web-kit.module';

/**
 * The staff and merchant app: agent console, merchant portal, REST API. Everything is behind
 * login (a global guard; a route is public only with @Public()). It also runs the outbox
 * worker: mail credentials live here, not in the internet-facing intake.
 */
export interface DeskModuleOptions {
  /** Where "now" comes from; tests pass a fixed clock. Default: the system clock. */
  clock?: Clock;
}

@Module({})
export class DeskModule {
  static forRoot(config: AppConfig, options: DeskModuleOptions = {}): DynamicModule {
    return {
      module: DeskModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        DatabaseModule,
        CryptoModule,
        AuditModule,
        CalendarModule.forRoot({ closures: config.calendar.closures, fromDatabase: true }),
        DeskEventsModule,
        // The desk sends mail; OUTBOX_WORKER=off only stops its poll timer.
        MailModule.forRoot({ worker: true }),
        TenancyModule,
        TicketDeskModule,
        // Provides the reply guard TicketDeskModule needs (global: see the module).
        IncidentDeskModule,
        TicketJobsModule,
        DeskAuthModule,
        DeskApiModule,
        LiveModule,
        ConsoleModule,
        CallsModule,
        UsersAdminModule,
        AdminModule,
        PortalModule,
        SupervisorModule,
        BulkSendPagesModule,
        IncidentReportPagesModule,
        AccountModule,
        WebKitModule,
      ],
      controllers: [HealthController],
    };
  }
}
