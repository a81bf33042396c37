import {
  Body,
  Controller,
  Delete,
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
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RuleAdminService, type RuleInput, type RuleView } from '@madoguchi/tickets';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentActor, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import {
  CreateRuleDto,
  DeleteRuleQueryDto,
  MoveRuleDto,
  RuleDto,
  UpdateRuleDto,
} from './dto/rule.dto';

const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });
const ID_PARAM = { name: 'id', type: Number, description: 'Rule id.' };

/** `/api/v1/rules`: intake triggers and the pending-customer automation (admins only; docs/rules.md). */
@ApiTags('rules')
@ApiReadErrors()
@Controller('api/v1/rules')
@RequirePermission('rules.manage')
export class RulesController {
  constructor(private readonly rules: RuleAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every rule: intake rules, then the pending automation, each in order' })
  @ApiOkResponse({ type: [RuleDto] })
  async list(): Promise<RuleView[]> {
    return (await this.rules.list()).map(({ merchantName: _name, ...rule }) => rule);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: RuleDto })
  get(@Param('id', ID) id: number): Promise<RuleView> {
    return this.rules.get(id);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a rule (placed last of its kind)' })
  @ApiWrite({ conflict: false, notFound: false })
  @ApiCreatedResponse({ type: RuleDto })
  create(@CurrentActor() actor: TicketActor, @Body() body: CreateRuleDto): Promise<RuleView> {
    return this.rules.create(inputOf(body, null), actor);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a rule (only the fields given; enabled to switch it on or off)',
  })
  @ApiParam(ID_PARAM)
  @ApiWrite()
  @ApiOkResponse({ type: RuleDto })
  async update(
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: UpdateRuleDto,
  ): Promise<RuleView> {
    const current = await this.rules.get(id);
    return this.rules.update(id, inputOf(body, current), body.expectedVersion, actor);
  }

  @Post(':id/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a rule one place up or down among the rules of its kind' })
  @ApiParam(ID_PARAM)
  @ApiWrite()
  @ApiOkResponse({ type: RuleDto })
  move(
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: MoveRuleDto,
  ): Promise<RuleView> {
    return this.rules.move(id, body.direction, body.expectedVersion, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a rule' })
  @ApiParam(ID_PARAM)
  @ApiWrite()
  @ApiNoContentResponse({ description: 'Deleted.' })
  async remove(
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Query() query: DeleteRuleQueryDto,
  ): Promise<void> {
    await this.rules.remove(id, query.expectedVersion, actor);
  }
}

/** The body over the rule as it is (PATCH) or over nothing (POST). */
function inputOf(body: UpdateRuleDto & { kind?: string }, current: RuleView | null): RuleInput {
  return {
    kind: body.kind ?? current?.kind ?? '',
    name: body.name ?? current?.name ?? '',
    merchantId: body.merchantId !== undefined ? body.merchantId : (current?.merchantId ?? null),
    enabled: body.enabled ?? current?.enabled ?? true,
    stopProcessing: body.stopProcessing ?? current?.stopProcessing ?? false,
    channels: body.channels ?? current?.conditions.channels ?? [],
    categories: body.categories ?? current?.conditions.categories ?? [],
    keywords: body.keywords ?? current?.conditions.keywords ?? [],
    priority: body.priority !== undefined ? body.priority : (current?.intake?.priority ?? null),
    category: body.category !== undefined ? body.category : (current?.intake?.category ?? null),
    remindAfterDays: body.remindAfterDays ?? current?.pending?.remindAfterDays ?? null,
    reminderText: body.reminderText ?? current?.pending?.reminderText ?? null,
    resolveAfterDays: body.resolveAfterDays ?? current?.pending?.resolveAfterDays ?? null,
    resolutionText: body.resolutionText ?? current?.pending?.resolutionText ?? null,
  };
}
