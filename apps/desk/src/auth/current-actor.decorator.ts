import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { TicketActor } from '@madoguchi/tenancy';
import './request-context.type';

/** Who acts, for audit: the session's user and the client IP (Fastify honours trustProxy). */
export function actorOfRequest(request: FastifyRequest): TicketActor {
  if (!request.user)
    throw new Error('@CurrentActor() used on a route without a session (is it @Public()?)');
  return { userId: request.user.id, ip: request.ip ?? null };
}

/** The acting user and IP of the request, for the services' audit records. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TicketActor =>
    actorOfRequest(context.switchToHttp().getRequest<FastifyRequest>()),
);
