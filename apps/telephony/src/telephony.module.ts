import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CalendarModule } from '@madoguchi/calendar';
import { CallRecordModule } from '@madoguchi/calls';
import { type Clock, ClockModule } from '@madoguchi/common';
import { type AppConfig, ConfigModule } from '@madoguchi/config';
import { CryptoModule } from '@madoguchi/crypto';
import { DatabaseModule } from '@madoguchi/schema';
import { HealthController } from '@madoguchi/http';
import { RequestClock } from './webhook/request-clock';
import { TwilioSignatureGuard } from './webhook/twilio-signature.guard';
import { VoiceWebhookController } from './webhook/voice-webhook.controller';

export interface TelephonyModuleOptions {
  /** Where "now" comes from; tests pass a fixed clock. Default: the system clock. */
  clock?: Clock;
}

/**
 * Twilio's voice webhooks for the window's number. Every route needs a valid Twilio signature
 * (a global guard); only /healthz is public.
 */
@Module({})
export class TelephonyModule {
  static forRoot(config: AppConfig, options: TelephonyModuleOptions = {}): DynamicModule {
    return {
      module: TelephonyModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        DatabaseModule,
        CryptoModule,
        CalendarModule.forRoot({ closures: config.calendar.closures, fromDatabase: true }),
        CallRecordModule,
      ],
      controllers: [HealthController, VoiceWebhookController],
      providers: [RequestClock, { provide: APP_GUARD, useClass: TwilioSignatureGuard }],
    };
  }
}
