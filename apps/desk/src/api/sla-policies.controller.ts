import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { SlaPolicyService, type SlaPolicyView } from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import { SaveSlaPolicyDto, SlaPolicyDto } from './dto/sla-policy.dto';

/** `/api/v1/sla-policies` (issue 15): the merchants' SLA policies, for supervisors and admins. */
@ApiTags('sla-policies')
@ApiReadErrors()
@Controller('api/v1/sla-policies')
@RequirePermission('setup.manage')
export class SlaPoliciesApiController {
  constructor(private readonly policies: SlaPolicyService) {}

  @Get()
  @ApiOperation({ summary: 'Every SLA policy (merchant × priority × optional category)' })
  @ApiOkResponse({ type: [SlaPolicyDto] })
  list(@CurrentScope() scope: TenantScope): Promise<SlaPolicyView[]> {
    return this.policies.list(scope);
  }

  @Put()
  @ApiOperation({
    summary:
      'Create or replace the policy of a merchant × priority × category (audited sla_policy.saved)',
  })
  @ApiWrite({ conflict: false })
  @ApiOkResponse({ type: SlaPolicyDto })
  save(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: SaveSlaPolicyDto,
  ): Promise<SlaPolicyView> {
    return this.policies.save(
      scope,
      {
        merchantId: body.merchantId,
        priority: body.priority,
        category: body.category ?? '',
        firstResponseMinutes: body.firstResponseMinutes,
        resolutionMinutes: body.resolutionMinutes,
      },
      actor,
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a policy (audited sla_policy.deleted)' })
  @ApiParam({ name: 'id', type: Number, description: 'SLA policy id.' })
  @ApiWrite({ conflict: false })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async remove(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<void> {
    await this.policies.remove(scope, id, actor);
  }
}
