import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { NEEDS_TICKET_SCOPE_KEY } from '../../auth';
import { actorOfRequest, FormValues } from '../../web';

/** What each form of the ticket page posts: who, in which scope, to which ticket, and the fields. */
export interface TicketFormPost {
  user: AuthenticatedUser;
  scope: TenantScope;
  actor: TicketActor;
  reference: string;
  form: FormValues;
}

const ticketFormParam = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TicketFormPost => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.user || !request.ticketScope)
      throw new Error('@TicketForm() used where the session guard resolved no user or scope');
    const params = request.params as Record<string, string | undefined>;
    return {
      user: request.user,
      scope: request.ticketScope,
      actor: actorOfRequest(request),
      reference: params.reference ?? '',
      form: new FormValues(request.body),
    };
  },
);

/**
 * A ticket form's post (`/tickets/:reference/...`). Like @CurrentScope() it marks its handler,
 * so the session guard resolves the scope for it.
 */
export function TicketForm(): ParameterDecorator {
  return (target, key, index) => {
    ticketFormParam()(target, key, index);
    if (key !== undefined) {
      const handler = (target as Record<string | symbol, unknown>)[key];
      if (typeof handler === 'function')
        Reflect.defineMetadata(NEEDS_TICKET_SCOPE_KEY, true, handler);
    }
  };
}
