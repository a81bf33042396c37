import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@madoguchi/config';
import { DatabaseModule } from '@madoguchi/database';
import { HealthController } from '@madoguchi/http';

/** Twilio's voice webhooks for the window's number; until they land, only /healthz. */
@Module({})
export class TelephonyModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TelephonyModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule],
      controllers: [HealthController],
    };
  }
}
