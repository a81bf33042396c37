import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallLogService, type CallLogItem } from '@madoguchi/calls';
import type { Page, TicketScope } from '@madoguchi/tickets';
import { CurrentScope, RequirePermission } from '../auth';
import { ApiReadErrors } from './api-docs.decorator';
import { CallLogPageDto } from './dto/call-response.dto';
import { PageQueryDto } from './dto/ticket-query.dto';

/** `GET /api/v1/calls`: the call log of the scope (a merchant user: its merchant's calls only). */
@ApiTags('calls')
@ApiReadErrors()
@Controller('api/v1/calls')
export class CallsController {
  constructor(private readonly calls: CallLogService) {}

  @Get()
  @RequirePermission('ticket.read')
  @ApiOperation({ summary: 'Calls on the window, newest first, paged (no caller numbers)' })
  @ApiOkResponse({ type: CallLogPageDto })
  list(
    @CurrentScope() scope: TicketScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<CallLogItem>> {
    return this.calls.list(scope, query.toPageRequest());
  }
}
