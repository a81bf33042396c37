import type { AuthenticatedUser } from '@madoguchi/auth';
import type { TenantScope } from '@madoguchi/tenancy';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the desk's session guard on every non-public route. */
    user?: AuthenticatedUser;
    /** Set by the session guard on routes that take @CurrentScope(). */
    ticketScope?: TenantScope;
  }
}
