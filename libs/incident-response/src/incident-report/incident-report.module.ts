import { Module } from '@nestjs/common';
import { IncidentReportService } from './incident-report.service';

/**
 * The incident report (desk only): aggregates per incident and affected merchant. Needs
 * DatabaseModule and AuditModule from the app.
 */
@Module({ providers: [IncidentReportService], exports: [IncidentReportService] })
export class IncidentReportModule {}
