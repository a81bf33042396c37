import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  CannedResponseService,
  QueueService,
  TicketClaimService,
  TicketSearchService,
  TicketWorkService,
  type Page,
  type TicketChangeResult,
  type TicketDetail,
  type TicketListItem,
} from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import {
  type FilledAnswer,
  IncidentAnswerService,
  type TicketDeterminationState,
  TicketDeterminationService,
} from '@madoguchi/incident-response';
import { CurrentActor, CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { ErrorResponseDto } from './dto/error-response.dto';
import { TicketListQueryDto, TicketSearchQueryDto } from './dto/ticket-query.dto';
import {
  ApprovedAnswerDto,
  RenderedCannedResponseDto,
  TicketChangeResultDto,
  TicketDetailDto,
  TicketListItemDto,
  TicketPageDto,
} from './dto/ticket-response.dto';
import {
  AssignDto,
  NoteDto,
  ReplyDto,
  StatusChangeDto,
  TicketUpdateDto,
  VersionDto,
} from './dto/ticket-write.dto';

const REFERENCE_PARAM = {
  name: 'reference',
  example: 'K7QM-3XHD',
  description: "The ticket's reference.",
};
const NOT_FOUND = {
  type: ErrorResponseDto,
  description: 'Unknown ticket, or another merchant’s (never 403).',
};

/**
 * `/api/v1/tickets`: lists, search, one ticket and the writes on it. Thin: the DTO validates,
 * one service call does the work within the request's scope.
 *
 * Writes ask only for `ticket.read` here on purpose: a merchant user's write must reach the
 * service, which answers 404 for a ticket outside the scope before it refuses the write (403);
 * a guard-level 403 would answer another merchant's ticket with 403 (contract: 404, never 403).
 */
@ApiTags('tickets')
@ApiReadErrors()
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(
    private readonly queues: QueueService,
    private readonly search: TicketSearchService,
    private readonly work: TicketWorkService,
    private readonly claims: TicketClaimService,
    private readonly canned: CannedResponseService,
    private readonly answers: IncidentAnswerService,
    private readonly determinations: TicketDeterminationService,
  ) {}

  @Get()
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Tickets of your scope, most urgent first (SLA due), filtered and paged',
  })
  @ApiOkResponse({ type: TicketPageDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown queue, or outside your scope.',
  })
  list(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: TicketListQueryDto,
  ): Promise<Page<TicketListItem>> {
    return this.queues.listTickets(
      scope,
      query.queue ?? null,
      query.toFilter(),
      query.toPageRequest(),
      user.id,
    );
  }

  @Get('search')
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Find tickets by reference, email, phone (any Japanese format) or order number',
  })
  @ApiOkResponse({ type: [TicketListItemDto] })
  searchTickets(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Query() query: TicketSearchQueryDto,
  ): Promise<TicketListItem[]> {
    return this.search.search(scope, query.q, actor);
  }

  @Get(':reference')
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'One ticket with its requester and conversation (an audited view)' })
  @ApiParam(REFERENCE_PARAM)
  @ApiOkResponse({ type: TicketDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async detail(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
  ): Promise<TicketDetail & { determination: TicketDeterminationState }> {
    const detail = await this.work.detail(scope, reference, actor);
    // Issue 13.1: the current determination and its evidence travel with the ticket.
    return { ...detail, determination: await this.determinations.forTicket(scope, reference) };
  }

  @Post(':reference/replies')
  @HttpCode(201)
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: "Reply to the end user in the merchant's name (mail through the outbox, status page)",
    description:
      'CRLF line endings are stored as LF; the signature the agent set on their account page is ' +
      'appended. A ticket without an email address (phone only) cannot receive a reply: 409 ' +
      '`REPLY_UNDELIVERABLE` and nothing is stored; record what was said on the phone with ' +
      '`POST /api/v1/tickets/{reference}/call-notes`. The first reply sets `firstRespondedAt`.',
  })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiCreatedResponse({ type: TicketChangeResultDto })
  reply(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: ReplyDto,
  ): Promise<TicketChangeResult> {
    return this.work.reply(
      scope,
      reference,
      {
        body: body.body,
        expectedVersion: body.version,
        nextStatus: body.nextStatus,
        answerVersionId: body.answerVersionId,
      },
      actor,
    );
  }

  @Post(':reference/notes')
  @HttpCode(201)
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'Add an internal note (never shown to the end user)' })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiCreatedResponse({ type: TicketChangeResultDto })
  addNote(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: NoteDto,
  ): Promise<TicketChangeResult> {
    return this.work.addNote(
      scope,
      reference,
      { body: body.body, expectedVersion: body.version },
      actor,
    );
  }

  @Post(':reference/call-notes')
  @HttpCode(201)
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Record what was told to the end user by phone (a call entry; never mailed)',
    description:
      'The way to answer a ticket without an email address. Internal like every call entry; ' +
      'the status moves as after a note; it does not set `firstRespondedAt` by itself. Audited ' +
      '(`ticket.call_noted`).',
  })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiCreatedResponse({ type: TicketChangeResultDto })
  addCallNote(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: NoteDto,
  ): Promise<TicketChangeResult> {
    return this.work.addCallNote(
      scope,
      reference,
      { body: body.body, expectedVersion: body.version },
      actor,
    );
  }

  @Post(':reference/status')
  @HttpCode(200)
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Change the status along the life cycle (409 with the reason otherwise)',
  })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiOkResponse({ type: TicketChangeResultDto })
  changeStatus(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: StatusChangeDto,
  ): Promise<TicketChangeResult> {
    return this.work.changeStatus(
      scope,
      reference,
      { status: body.status, expectedVersion: body.version },
      actor,
    );
  }

  @Patch(':reference')
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'Change category and/or priority' })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiOkResponse({ type: TicketChangeResultDto })
  update(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: TicketUpdateDto,
  ): Promise<TicketChangeResult> {
    return this.work.update(
      scope,
      reference,
      { category: body.category, priority: body.priority, expectedVersion: body.version },
      actor,
    );
  }

  @Post(':reference/assign')
  @HttpCode(200)
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'Assign to an agent (or release with assigneeId null)' })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiOkResponse({ type: TicketChangeResultDto })
  assign(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: AssignDto,
  ): Promise<TicketChangeResult> {
    return this.claims.assign(scope, reference, body.assigneeId, body.version, actor);
  }

  @Post(':reference/hand-back')
  @HttpCode(200)
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary:
      "Hand an out-of-scope inquiry back to the merchant (mails the end user and the merchant's addresses)",
  })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiOkResponse({ type: TicketChangeResultDto })
  handBack(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: VersionDto,
  ): Promise<TicketChangeResult> {
    return this.work.handBack(scope, reference, { expectedVersion: body.version }, actor);
  }

  @Get(':reference/canned-responses/:id/rendered')
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'A canned response with its placeholders filled for this ticket' })
  @ApiParam(REFERENCE_PARAM)
  @ApiOkResponse({ type: RenderedCannedResponseDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown ticket or response, or outside your scope.',
  })
  async rendered(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('reference') reference: string,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<RenderedCannedResponseDto> {
    return { body: await this.canned.renderFor(scope, reference, id, actor) };
  }

  @Get(':reference/approved-answers')
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary:
      "The incident answers approved for this ticket's merchant (newest approved version of each template), filled in",
    description:
      'Empty for a ticket without an incident. Filling in {{name}} reads the requester, so the ' +
      'call is audited as a view of the ticket (ticket.viewed).',
  })
  @ApiParam(REFERENCE_PARAM)
  @ApiOkResponse({ type: [ApprovedAnswerDto] })
  @ApiNotFoundResponse(NOT_FOUND)
  async approvedAnswers(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('reference') reference: string,
  ): Promise<FilledAnswer[]> {
    const ticket = await this.work.detail(scope, reference, actor);
    return this.answers.forTicket(ticket, user.displayName);
  }
}
