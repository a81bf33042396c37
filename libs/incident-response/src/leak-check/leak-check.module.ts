import { Module } from '@nestjs/common';
import { IncidentsModule } from '@madoguchi/incidents';
import { LeakCheckService } from './leak-check.service';

/** The status page's verified check (intake). Needs DatabaseModule, CryptoModule, AuditModule, MailModule. */
@Module({ imports: [IncidentsModule], providers: [LeakCheckService], exports: [LeakCheckService] })
export class LeakCheckModule {}
