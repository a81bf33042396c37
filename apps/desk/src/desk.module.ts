import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@madoguchi/config';
import { DatabaseModule } from '@madoguchi/database';
import { HealthController } from '@madoguchi/http';
import { AuditModule } from '@madoguchi/audit';
import { CryptoModule } from '@madoguchi/crypto';
import { MailModule } from '@madoguchi/mail';

/**
 * The staff and merchant app. Until the console lands it answers /healthz and runs the outbox
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
        // The desk sends mail; OUTBOX_WORKER=off only stops its poll timer.
        MailModule.forRoot({ worker: true }),
      ],
      controllers: [HealthController],
    };
  }
}
