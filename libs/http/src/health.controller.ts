import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DatabaseHealth } from '@madoguchi/database';
import { Public } from './public.decorator';

/** `GET /healthz`: 200 when the database answers, 503 otherwise (load balancers and the contract). */
@Public()
@Controller()
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Get('healthz')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const ok = await this.database.isHealthy();
    await reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(ok ? { status: 'ok' } : { status: 'unavailable' });
  }
}
