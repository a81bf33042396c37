import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { type TenantScope, type TicketActor } from '@madoguchi/tenancy';
import { SavedViewService } from '@madoguchi/tickets';
import { CurrentActor, CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { hasPermission } from '../auth/permissions';
import { type ListedView, listedSavedView, viewsWithCounts } from '../web/saved-views';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { CreateSavedViewDto, SavedViewDto } from './dto/saved-view.dto';

function viewBody(view: ListedView, count: number): SavedViewDto {
  return {
    key: view.key,
    name: view.name,
    builtIn: view.builtIn,
    shared: view.shared,
    queueId: view.queueId,
    query: view.query,
    count,
  };
}

/** `/api/v1/saved-views` (issue 15): the built-in and saved views with their counts. */
@ApiTags('saved-views')
@ApiReadErrors()
@Controller('api/v1/saved-views')
@RequirePermission('ticket.work')
export class SavedViewsController {
  constructor(private readonly views: SavedViewService) {}

  @Get()
  @ApiOperation({
    summary:
      'The built-in views (mine, replied, breached), the shared ones and your own, each with its count (one grouped query)',
  })
  @ApiOkResponse({ type: [SavedViewDto] })
  async list(@CurrentScope() scope: TenantScope): Promise<SavedViewDto[]> {
    return (await viewsWithCounts(this.views, scope)).map((view) => viewBody(view, view.count));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Save a view (shared: supervisors and admins only, else 403)' })
  @ApiWrite({ conflict: false })
  @ApiCreatedResponse({ type: SavedViewDto })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() dto: CreateSavedViewDto,
  ): Promise<SavedViewDto> {
    const view = await this.views.create(
      scope,
      {
        name: dto.name,
        query: dto.query,
        queueId: dto.queueId ?? null,
        shared: dto.shared ?? false,
      },
      actor,
      hasPermission(user.role, 'view.share'),
    );
    const listed = listedSavedView(view);
    const counts = await this.views.counts(scope, [
      { key: listed.key, filter: listed.filter, queueId: listed.queueId },
    ]);
    return viewBody(listed, counts.get(listed.key) ?? 0);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete your own view, or (supervisors, admins) a shared one' })
  @ApiParam({ name: 'id', type: Number })
  @ApiWrite({ conflict: false })
  @ApiNoContentResponse()
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<void> {
    await this.views.remove(scope, id, actor, hasPermission(user.role, 'view.share'));
  }
}
