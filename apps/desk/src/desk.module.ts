import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuditModule } from '@madoguchi/audit';
import { CalendarModule } from '@madoguchi/calendar';
import { type AppConfig, ConfigModule } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/database';
import { HealthController } from '@madoguchi/http';
import { MailModule } from '@madoguchi/mail';
import { TenancyModule } from '@madoguchi/tenancy';
import { TicketDeskModule, TicketJobsModule } from '@madoguchi/tickets';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { BulkSendPagesModule } from './bulk-send/bulk-send-pages.module';
import { IncidentReportPagesModule } from './incident-report/incident-report-pages.module';
import { UsersAdminModule } from './admin/users-admin.module';
import { DeskApiModule } from './api/desk-api.module';
import { DeskAuthModule } from './auth/desk-auth.module';
import { CallsModule } from './calls/calls.module';
import { ConsoleModule } from './console/console.module';
import { LiveModule } from './live/live.module';
import { PortalModule } from './portal/portal.module';
import { SupervisorModule } from './supervisor/supervisor.module';

/**
 * The staff and merchant app: agent console, merchant portal, REST API. Everything is behind
 * login (a global guard; a route is public only with @Public()). It also runs the outbox
 * worker: mail credentials live here, not in the internet-facing intake.
 */
@Module({})
export class DeskModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DeskModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CryptoModule,
        AuditModule,
        CalendarModule.forRoot({ closures: config.calendar.closures, fromDatabase: true }),
        EventEmitterModule.forRoot(),
        // The desk sends mail; OUTBOX_WORKER=off only stops its poll timer.
        MailModule.forRoot({ worker: true }),
        TenancyModule,
        TicketDeskModule,
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
      ],
      controllers: [HealthController],
    };
  }
}
