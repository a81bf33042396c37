import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { type MergeResult, TicketMergeService } from '@madoguchi/tickets';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { hasPermission } from '../auth/permissions';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { ErrorResponseDto } from './dto/error-response.dto';
import { MergeDto, MergeResultDto } from './dto/ticket-merge.dto';

/**
 * Issue 15: `POST /api/v1/tickets/{reference}/merge`. Asks only for `ticket.read` like the other
 * ticket writes: the service finds both tickets in the scope first (another merchant's is 404),
 * then refuses merchant users (403).
 */
@ApiTags('tickets')
@ApiReadErrors()
@Controller('api/v1/tickets')
export class TicketMergeController {
  constructor(private readonly merges: TicketMergeService) {}

  @Post(':reference/merge')
  @HttpCode(200)
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Merge this ticket into another of the same merchant',
    description:
      "The ticket's conversation (each message keeps `mergedFrom`), files, calls and determination history move to `into`; this ticket is closed with `mergedInto` and its status link answers 303 to the survivor's status page. Both versions are checked (409 STALE_VERSION); a closed or merged ticket is 409 MERGE_REFUSED; tickets sharing no email or phone blind index are 409 MERGE_REQUESTER_MISMATCH unless a supervisor or admin sends `confirmUnrelated: true`. Audited on both tickets (`ticket.merged`, `ticket.merge_received`).",
  })
  @ApiParam({ name: 'reference', example: 'K7QM-3XHD', description: 'The ticket to merge away.' })
  @ApiWrite({ conflict: false, notFound: false })
  @ApiOkResponse({ type: MergeResultDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Either ticket unknown, or of another merchant (never 403, never which).',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'STALE_VERSION, MERGE_REFUSED or MERGE_REQUESTER_MISMATCH (with the reason).',
  })
  merge(
    @CurrentScope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: MergeDto,
  ): Promise<MergeResult> {
    return this.merges.merge(
      scope,
      reference,
      {
        into: body.into,
        expectedVersion: body.version,
        intoExpectedVersion: body.intoVersion,
        confirmUnrelated: body.confirmUnrelated,
      },
      actor,
      { mayConfirmUnrelated: hasPermission(user.role, 'ticket.merge_unrelated') },
    );
  }
}
