import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ValidationFailedException } from '@madoguchi/common';
import { type TenantScope, type TicketActor } from '@madoguchi/tenancy';
import { BulkActionService, type BulkRunView, type BulkSelection } from '@madoguchi/tickets';
import { CurrentActor, CurrentScope, RequirePermission } from '../auth';
import { parseViewQuery } from '../web/saved-views';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { BulkRunDto, CreateBulkActionDto, RunBulkActionDto } from './dto/bulk-action.dto';

const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });
const ID_PARAM = { name: 'id', type: Number, description: 'Bulk run id.' };

/** The API's shape of a run: the pages' view without the page-only parts. */
function runBody(run: BulkRunView) {
  return {
    id: run.id,
    action: run.action,
    state: run.state,
    params: run.params,
    total: run.total,
    doneCount: run.doneCount,
    skippedCount: run.skippedCount,
    items: run.items,
  };
}

/**
 * `/api/v1/bulk-actions` (issue 15): the console's bulk actions. Create a preview (stored,
 * nothing changed), then run it once; each ticket is checked against the version seen at the
 * preview and skipped with the reason when it changed.
 */
@ApiTags('bulk-actions')
@ApiReadErrors()
@Controller('api/v1/bulk-actions')
@RequirePermission('ticket.work')
export class BulkActionsController {
  constructor(private readonly bulk: BulkActionService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Preview a bulk action on up to 500 tickets (by references or a list filter): stores the run with each ticket's version; changes no ticket",
  })
  @ApiWrite({ conflict: false })
  @ApiCreatedResponse({ type: BulkRunDto })
  async create(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() dto: CreateBulkActionDto,
  ) {
    const byReferences = dto.references !== undefined;
    if (byReferences === (dto.filter !== undefined)) {
      throw new ValidationFailedException([
        { field: 'references', message: 'references か filter のどちらか一方を指定してください。' },
      ]);
    }
    const selection: BulkSelection = byReferences
      ? { kind: 'references', references: dto.references ?? [] }
      : {
          kind: 'filter',
          queueId: dto.queueId ?? null,
          filter: parseViewQuery(dto.filter ?? '').filter,
        };
    const run = await this.bulk.preview(
      scope,
      {
        action: dto.action,
        assignee: dto.assignee,
        status: dto.status,
        priority: dto.priority,
        category: dto.category,
        cannedResponseId: dto.cannedResponseId,
        nextStatus: dto.nextStatus,
      },
      selection,
      actor,
      '/',
    );
    return runBody(run);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A bulk run: its preview, or each ticket done or skipped with the reason',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: BulkRunDto })
  async find(@CurrentScope() scope: TenantScope, @Param('id', ID) id: number) {
    return runBody(await this.bulk.find(scope, id));
  }

  @Post(':id/run')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Run a previewed bulk action once; a repeated call changes nothing and answers the same result',
  })
  @ApiParam(ID_PARAM)
  @ApiWrite({ conflict: false })
  @ApiOkResponse({ type: BulkRunDto })
  async run(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() dto: RunBulkActionDto,
  ) {
    return runBody(await this.bulk.run(scope, id, actor, { body: dto.body }));
  }
}
