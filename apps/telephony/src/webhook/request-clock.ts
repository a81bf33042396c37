import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Clock, ValidationFailedException } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';

/** Header the call simulator sends so a simulated call happens at its `--at` time. */
export const SIMULATED_TIME_HEADER = 'x-madoguchi-simulated-time';

/**
 * The time a webhook request happens at: the app's injected {@link Clock}, or, outside production
 * and only when TELEPHONY_ALLOW_SIMULATED_TIME is on, the simulator's header for this one request.
 * Nothing global changes: other requests keep the real clock.
 */
@Injectable()
export class RequestClock {
  constructor(
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  now(request: FastifyRequest): Date {
    const header = request.headers[SIMULATED_TIME_HEADER];
    if (
      typeof header === 'string' &&
      header !== '' &&
      !this.config.isProduction &&
      this.config.telephony.allowSimulatedTime
    ) {
      const at = new Date(header);
      if (Number.isNaN(at.getTime())) {
        throw new ValidationFailedException([
          { field: SIMULATED_TIME_HEADER, message: '日時の形式が正しくありません。' },
        ]);
      }
      return at;
    }
    return this.clock.now();
  }
}
