import { Controller, Get, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, RequirePermission } from '../auth';
import { ErrorResponseDto } from '../api/dto/error-response.dto';
import { TicketChangeFeed, type TicketsChangedEvent } from './ticket-change-feed.service';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/**
 * A stream ends after this long and the browser's EventSource reconnects through the session
 * guard: a logged-out or disabled user, or an agent who left a queue, stops hearing within it.
 */
const MAX_STREAM_MS = 10 * 60_000;
/** How long EventSource waits before reconnecting. */
const RECONNECT_MS = 3_000;

/**
 * `GET /api/v1/events`: Server-Sent Events for live queue views. Written to the raw response
 * (Nest's @Sse cannot send comment heartbeats); authentication and scope come from the global
 * guard like any route. Each event names only queues of the caller's own scope.
 */
@ApiTags('live')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly feed: TicketChangeFeed) {}

  @Get()
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Live ticket changes (Server-Sent Events)',
    description:
      'A text/event-stream. Event `tickets-changed` with data `{"queueIds":[…]}` (queues of your scope ' +
      'whose tickets were created or changed, by any desk instance or the intake); a comment line ' +
      'every 15 s; the server ends the stream after 10 minutes and EventSource reconnects.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream.', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  stream(
    @CurrentScope() scope: TenantScope,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    // The response is written by hand from here on; Fastify must not send one too.
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx and similar proxies would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);

    const send = (event: TicketsChangedEvent): void => {
      raw.write(
        `event: tickets-changed\ndata: ${JSON.stringify({ queueIds: event.queueIds })}\n\n`,
      );
    };
    const unsubscribe = this.feed.subscribe(scope, send);
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = (): void => {
      cleanup();
      raw.end();
    };
    const expiry = setTimeout(end, MAX_STREAM_MS);
    expiry.unref();
    const forgetShutdown = this.feed.onShutdown(end);
    let cleaned = false;
    function cleanup(): void {
      if (cleaned) return;
      cleaned = true;
      unsubscribe();
      forgetShutdown();
      clearInterval(heartbeat);
      clearTimeout(expiry);
    }
    request.raw.on('close', cleanup);
  }
}
