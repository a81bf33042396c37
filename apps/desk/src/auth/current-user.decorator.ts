import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import type { FastifyRequest } from 'fastify';
import './request-context.type';

/**
 * The signed-in user, set by the session guard. Fails loudly on a route where the guard did not
 * run (a @Public() route): a handler must never act for nobody.
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.user)
      throw new Error('@CurrentUser() used on a route without a session (is it @Public()?)');
    return request.user;
  },
);
