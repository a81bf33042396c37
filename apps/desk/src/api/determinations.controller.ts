import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import {
  type TicketDeterminationState,
  TicketDeterminationService,
} from '@madoguchi/incident-response';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { RecordDeterminationDto, TicketDeterminationStateDto } from './dto/determination.dto';
import { ErrorResponseDto } from './dto/error-response.dto';

const REFERENCE_PARAM = {
  name: 'reference',
  example: 'K7QM-3XHD',
  description: "The ticket's reference.",
};

/**
 * `/api/v1/tickets/{reference}/determinations` (issue 13.1): whether the ticket's requester was
 * on the leaked data, on what evidence. Like the other ticket writes, the route asks only for
 * `ticket.read`: the service answers 404 for a ticket outside the scope before it refuses a
 * merchant user's write (403).
 */
@ApiTags('tickets')
@ApiReadErrors()
@Controller('api/v1/tickets')
export class DeterminationsController {
  constructor(private readonly determinations: TicketDeterminationService) {}

  @Get(':reference/determinations')
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'The ticket’s current determination, what it allows, and its history' })
  @ApiParam(REFERENCE_PARAM)
  @ApiOkResponse({ type: TicketDeterminationStateDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown, or outside your scope.' })
  list(
    @CurrentScope() scope: TenantScope,
    @Param('reference') reference: string,
  ): Promise<TicketDeterminationState> {
    return this.determinations.forTicket(scope, reference);
  }

  @Post(':reference/determinations')
  @HttpCode(201)
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Record an agent’s determination (included / not included) with its reason',
    description:
      'Supersedes the current determination (kept in the history) and clears a review flag. ' +
      'Without a reason: 400, nothing written. Leak answers (`leak_included` / ' +
      '`leak_not_included`) go only to tickets whose current determination matches; anything ' +
      'else is 409 DETERMINATION_MISMATCH.',
  })
  @ApiParam(REFERENCE_PARAM)
  @ApiWrite()
  @ApiCreatedResponse({ type: TicketDeterminationStateDto })
  record(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: RecordDeterminationDto,
  ): Promise<TicketDeterminationState> {
    return this.determinations.recordByAgent(
      scope,
      reference,
      { outcome: body.outcome, reason: body.reason },
      actor,
    );
  }
}
