import { Module } from '@nestjs/common';
import { IncidentReportModule } from '@madoguchi/incident-response';
import {
  PortalIncidentReportController,
  SupervisorIncidentReportController,
} from './incident-report.controller';

/** The incident report: the merchant's own in the portal, the operator's per merchant or for all. */
@Module({
  imports: [IncidentReportModule],
  controllers: [PortalIncidentReportController, SupervisorIncidentReportController],
})
export class IncidentReportPagesModule {}
