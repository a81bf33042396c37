import { Module } from '@nestjs/common';
import { AnswerTemplateService } from './answer-template/answer-template.service';
import { ApprovedAnswerService } from './answer-template/approved-answer.service';
import { IncidentService } from './incident/incident.service';

const SERVICES = [IncidentService, AnswerTemplateService, ApprovedAnswerService];

/**
 * Incidents, answer templates and merchants' approvals. Its entities are in the one entity
 * list of the data source (libs/schema entities.ts), as every lib's are, so no forFeature is
 * needed: the services use the DataSource. Needs, from the app: DatabaseModule, AuditModule.
 */
@Module({ providers: SERVICES, exports: SERVICES })
export class IncidentsModule {}
