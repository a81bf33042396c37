import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  QueueService,
  TicketClaimService,
  type Page,
  type QueueSummary,
  type TicketListItem,
} from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { ErrorResponseDto } from './dto/error-response.dto';
import { QueueSummaryDto } from './dto/queue-response.dto';
import { TicketFilterQueryDto } from './dto/ticket-query.dto';
import { TicketChangeResultDto, TicketPageDto } from './dto/ticket-response.dto';

/** A queue id that is not a number cannot exist: 404 like any unknown queue. */
const QUEUE_ID = new ParseIntPipe({ errorHttpStatusCode: 404 });
const QUEUE_PARAM = { name: 'id', type: Number, description: 'Queue id.' };
const QUEUE_NOT_FOUND = {
  type: ErrorResponseDto,
  description: 'Unknown queue, or outside your scope.',
};

/** `/api/v1/queues`: the queues of the scope with their counts, a queue's tickets, take-next. */
@ApiTags('queues')
@ApiReadErrors()
@Controller('api/v1/queues')
export class QueuesController {
  constructor(
    private readonly queues: QueueService,
    private readonly claims: TicketClaimService,
  ) {}

  @Get()
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'Queues of your scope with counts by status and SLA state' })
  @ApiOkResponse({ type: [QueueSummaryDto] })
  summaries(@CurrentScope() scope: TenantScope): Promise<QueueSummary[]> {
    return this.queues.summaries(scope);
  }

  @Get(':id/tickets')
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: "A queue's tickets, most urgent first (SLA due), filtered and paged" })
  @ApiParam(QUEUE_PARAM)
  @ApiOkResponse({ type: TicketPageDto })
  @ApiNotFoundResponse(QUEUE_NOT_FOUND)
  tickets(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', QUEUE_ID) id: number,
    @Query() query: TicketFilterQueryDto,
  ): Promise<Page<TicketListItem>> {
    return this.queues.listTickets(scope, id, query.toFilter(), query.toPageRequest(), user.id);
  }

  @Post(':id/take-next')
  @HttpCode(200)
  // As on ticket writes: the service answers 404 outside the scope before refusing a merchant user.
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'Take the most urgent unassigned ticket of the queue (atomic claim)' })
  @ApiParam(QUEUE_PARAM)
  @ApiWrite({ notFound: false })
  @ApiOkResponse({ type: TicketChangeResultDto, description: 'The ticket now assigned to you.' })
  @ApiNoContentResponse({ description: 'Nothing to take.' })
  @ApiNotFoundResponse(QUEUE_NOT_FOUND)
  async takeNext(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', QUEUE_ID) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const taken = await this.claims.takeNext(scope, id, actor);
    // Sent by hand: Nest would put the route's status code back over a 204.
    if (taken === null) await reply.status(204).send();
    else await reply.status(200).send(taken);
  }
}
