import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DATABASE_READINESS, type DatabaseReadiness } from './database-readiness';
import { Public } from './public.decorator';

/**
 * `GET /healthz` (load balancers, the upgrade procedure in docs/operations.md): 200
 * `{status:'ok'}` when the database answers and has every migration of this build applied;
 * 503 `{status:'unavailable'}` when the database does not answer, and 503
 * `{status:'migrations_pending', pendingMigrations: n}` until `migration:run` has caught up.
 */
@Public()
@Controller()
export class HealthController {
  constructor(@Inject(DATABASE_READINESS) private readonly database: DatabaseReadiness) {}

  @Get('healthz')
  async health(@Res() reply: FastifyReply): Promise<void> {
    void reply.header('cache-control', 'no-store');
    if (!(await this.database.isHealthy())) {
      await reply.status(503).send({ status: 'unavailable' });
      return;
    }
    let pending: string[];
    try {
      pending = await this.database.pendingMigrations();
    } catch {
      await reply.status(503).send({ status: 'unavailable' });
      return;
    }
    if (pending.length > 0) {
      await reply
        .status(503)
        .send({ status: 'migrations_pending', pendingMigrations: pending.length });
      return;
    }
    await reply.status(200).send({ status: 'ok' });
  }
}
