import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { TenantScope } from '@madoguchi/tenancy';
import './request-context.type';

/** Marks a handler whose scope the guard must resolve before it runs. */
export const NEEDS_TICKET_SCOPE_KEY = 'madoguchi:needs-ticket-scope';

const scopeParam = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantScope => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.ticketScope)
      throw new Error('@CurrentScope() used where the session guard resolved no scope');
    return request.ticketScope;
  },
);

/**
 * The request's ticket scope (TicketScopeService.forUser), resolved once by the session guard.
 * The decorator also marks its handler, so the guard resolves a scope only where one is used.
 */
export function CurrentScope(): ParameterDecorator {
  return (target, key, index) => {
    scopeParam()(target, key, index);
    if (key !== undefined) {
      const handler = (target as Record<string | symbol, unknown>)[key];
      if (typeof handler === 'function')
        Reflect.defineMetadata(NEEDS_TICKET_SCOPE_KEY, true, handler);
    }
  };
}
