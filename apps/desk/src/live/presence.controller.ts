import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { type TicketLiveState, TicketPresenceService } from '@madoguchi/tickets';
import type { TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from '../api/api-docs.decorator';
import { ErrorResponseDto } from '../api/dto/error-response.dto';
import { PresenceHeartbeatDto, TicketLiveStateDto, TicketPresenceItemDto } from './presence.dto';

/** Most tickets one list may ask about at once (a queue page shows 25). */
const MAX_REFERENCES = 100;

const REFERENCE = { name: 'reference', example: 'K7P3-M9QX' };

/**
 * Presence on tickets and an open ticket page's live state (issue 15). No personal data of the
 * shopper travels here (who of the staff is on the ticket, its version and newest message id),
 * so these calls are not audited views: a page's heartbeat every 10 s never counts towards the
 * unusual-viewing alert. Staff only; another merchant's or an unknown ticket is 404.
 */
@ApiTags('live')
@ApiReadErrors()
@Controller('api/v1')
@RequirePermission('ticket.read')
export class PresenceController {
  constructor(private readonly presence: TicketPresenceService) {}

  @Post('tickets/:reference/presence')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Heartbeat of an open ticket page: the caller is viewing or writing',
    description:
      'The console sends it every 10 s and when typing starts. A presence not refreshed for 30 s ' +
      'is gone. Answers the live state, as GET does.',
  })
  @ApiParam(REFERENCE)
  @ApiWrite({ conflict: false })
  @ApiOkResponse({ type: TicketLiveStateDto })
  heartbeat(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('reference') reference: string,
    @Body() body: PresenceHeartbeatDto,
  ): Promise<TicketLiveState> {
    return this.presence.heartbeat(scope, reference, user.id, body.state);
  }

  @Get('tickets/:reference/presence')
  @ApiOperation({
    summary: "A ticket's live state: who else is on it, its version, newest message",
  })
  @ApiParam(REFERENCE)
  @ApiOkResponse({ type: TicketLiveStateDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown, or outside your scope.' })
  state(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('reference') reference: string,
  ): Promise<TicketLiveState> {
    return this.presence.state(scope, reference, user.id);
  }

  @Get('presence')
  @ApiOperation({
    summary: 'Who is on which of these tickets (the queue list marker)',
    description:
      'Tickets outside your scope and unknown references are left out. Only tickets someone ' +
      'else is on are listed.',
  })
  @ApiQuery({ name: 'reference', type: [String], description: `Up to ${MAX_REFERENCES}.` })
  @ApiOkResponse({ type: [TicketPresenceItemDto] })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async forTickets(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Query('reference') reference: string | string[] | undefined,
  ): Promise<TicketPresenceItemDto[]> {
    const references = (Array.isArray(reference) ? reference : [reference ?? ''])
      .map((value) => String(value).trim().toUpperCase())
      .filter((value) => value !== '')
      .slice(0, MAX_REFERENCES);
    const found = await this.presence.forReferences(scope, references, user.id);
    return [...found].map(([ref, others]) => ({ reference: ref, others }));
  }
}
