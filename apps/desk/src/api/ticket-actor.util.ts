import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import type { TicketActor } from '@madoguchi/tenancy';

/** Who acts, for audit: the session's user and the client IP (Fastify honours trustProxy). */
export function actorOf(user: AuthenticatedUser, request: FastifyRequest): TicketActor {
  return { userId: user.id, ip: request.ip ?? null };
}
