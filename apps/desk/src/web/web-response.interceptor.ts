import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { isWebResponse, prepareReply } from './web-response';

/**
 * Turns a handler's {@link WebResponse} (htmlPage, htmlFragment, seeOtherTo) into status, headers
 * and body. Registered for the whole desk; any other return value passes through untouched.
 */
@Injectable()
export class WebResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (context.getType() !== 'http' || !isWebResponse(result)) return result;
        return prepareReply(context.switchToHttp().getResponse<FastifyReply>(), result);
      }),
    );
  }
}
