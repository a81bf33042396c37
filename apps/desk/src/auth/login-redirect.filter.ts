import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LoginRedirectException } from './login-redirect.exception';

/**
 * Turns the guard's redirect into a 303. desk-app.factory registers it after the global error
 * filter, so Nest tries it first; it catches nothing else.
 */
@Catch(LoginRedirectException)
export class LoginRedirectFilter implements ExceptionFilter {
  catch(exception: LoginRedirectException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(303)
      .header('cache-control', 'no-store')
      .header('location', exception.location)
      .send();
  }
}
