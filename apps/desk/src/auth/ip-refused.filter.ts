import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { renderIpRefusedPage } from '../web/ip-refused.view';

/**
 * Thrown by the session guard when a browser page is requested from outside the allowed networks.
 * The API keeps its JSON 403 (a DomainException); browsers get a page that says why and whom to ask.
 */
export class IpRefusedException extends Error {
  constructor(
    readonly ip: string | null,
    readonly audience: 'merchant' | 'staff',
  ) {
    super('client address not on the allow-list');
    this.name = 'IpRefusedException';
  }
}

/** Renders the refusal page (403). desk-app.factory registers it with the redirect filter. */
@Catch(IpRefusedException)
export class IpRefusedFilter implements ExceptionFilter {
  catch(exception: IpRefusedException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(403)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderIpRefusedPage({ ip: exception.ip, audience: exception.audience }));
  }
}
