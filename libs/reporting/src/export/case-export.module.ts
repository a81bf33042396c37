import { Module } from '@nestjs/common';
import { CaseExportService } from './case-export.service';

/** The merchant portal's CSV export (desk only). Needs DatabaseModule and AuditModule from the app. */
@Module({ providers: [CaseExportService], exports: [CaseExportService] })
export class CaseExportModule {}
