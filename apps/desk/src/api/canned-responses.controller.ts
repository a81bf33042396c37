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

import { CannedResponseService, type CannedResponseView } from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, RequirePermission } from '../auth';
import { ApiReadErrors, ApiWrite } from './api-docs.decorator';
import {
  CannedResponseListQueryDto,
  CreateCannedResponseDto,
  UpdateCannedResponseDto,
} from './dto/canned-response.dto';
import { CannedResponseDto } from './dto/ticket-response.dto';

const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });
const ID_PARAM = { name: 'id', type: Number, description: 'Canned response id.' };

/** `/api/v1/canned-responses`: listing for agents; creating, changing and deleting for supervisors and admins. */
@ApiTags('canned-responses')
@ApiReadErrors()
@Controller('api/v1/canned-responses')
export class CannedResponsesController {
  constructor(private readonly canned: CannedResponseService) {}

  @Get()
  @RequirePermission('ticket.work')
  @ApiOperation({
    summary: "Canned responses: the global ones and, with merchantId, that merchant's own",
  })
  @ApiOkResponse({ type: [CannedResponseDto] })
  list(
    @CurrentScope() scope: TenantScope,
    @Query() query: CannedResponseListQueryDto,
  ): Promise<CannedResponseView[]> {
    return query.merchantId === undefined
      ? this.canned.listAll(scope)
      : this.canned.listFor(scope, query.merchantId);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission('canned.manage')
  @ApiOperation({ summary: 'Create a canned response (global with merchantId null)' })
  @ApiWrite({ conflict: false })
  @ApiCreatedResponse({ type: CannedResponseDto })
  create(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: CreateCannedResponseDto,
  ): Promise<CannedResponseView> {
    return this.canned.create(
      scope,
      { merchantId: body.merchantId, title: body.title, body: body.body },
      actor,
    );
  }

  @Patch(':id')
  @RequirePermission('canned.manage')
  @ApiOperation({ summary: 'Change the title and/or body of a canned response' })
  @ApiParam(ID_PARAM)
  @ApiWrite({ conflict: false })
  @ApiOkResponse({ type: CannedResponseDto })
  update(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: UpdateCannedResponseDto,
  ): Promise<CannedResponseView> {
    return this.canned.update(scope, id, { title: body.title, body: body.body }, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('canned.manage')
  @ApiOperation({ summary: 'Delete a canned response' })
  @ApiParam(ID_PARAM)
  @ApiWrite({ conflict: false })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async remove(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
  ): Promise<void> {
    await this.canned.remove(scope, id, actor);
  }
}
