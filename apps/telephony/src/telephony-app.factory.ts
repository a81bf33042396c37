import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '@madoguchi/common';
import type { AppConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { TelephonyModule } from './telephony.module';

export interface TelephonyAppOptions {
  /** The clock the call flow decides by (in or out of hours); tests inject a fixed one. */
  clock?: Clock;
}

/**
 * Builds the telephony app (used by main.ts and by the tests alike). Nest's Fastify adapter parses
 * Twilio's application/x-www-form-urlencoded bodies itself.
 */
export async function createTelephonyApp(
  config: AppConfig,
  options: TelephonyAppOptions = {},
): Promise<NestFastifyApplication> {
  return createFastifyApp(TelephonyModule.forRoot(config, { clock: options.clock }), config, {
    name: 'telephony',
  });
}
