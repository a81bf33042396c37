import { Module } from '@nestjs/common';
import { ClosureAdminService } from './closure-admin.service';

/**
 * Admin closures of the calendar. Needs, from the app: DatabaseModule, AuditModule and
 * `CalendarModule.forRoot({ fromDatabase: true })` (whose loader it refreshes after a change).
 */
@Module({ providers: [ClosureAdminService], exports: [ClosureAdminService] })
export class ClosureAdminModule {}
