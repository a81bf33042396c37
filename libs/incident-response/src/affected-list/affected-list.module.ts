import { Module } from '@nestjs/common';
import { AffectedListIndicatorService } from './affected-list-indicator.service';
import { AffectedListService } from './affected-list.service';

const SERVICES = [AffectedListService, AffectedListIndicatorService];

/** Affected-customer lists (desk: portal upload, console indicator). Needs DatabaseModule, CryptoModule, AuditModule. */
@Module({ providers: SERVICES, exports: SERVICES })
export class AffectedListModule {}
