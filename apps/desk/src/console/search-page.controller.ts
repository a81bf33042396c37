import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { type TicketScope, TicketSearchService } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { renderSearchPage } from '../views';
import { consoleActor, FormValues, sendPage, viewerOf } from './console-http.util';

/** Exact-match search (reference, email, phone, order number) within the user's scope; audited by the service. */
@ApiExcludeController()
@Controller('search')
@RequirePermission('ticket.read')
export class SearchPageController {
  constructor(private readonly search: TicketSearchService) {}

  @Get()
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const viewer = viewerOf(user);
    const form = new FormValues(query);
    const hasQuery = query !== null && typeof query === 'object' && 'q' in query;
    const q = form.text('q');
    if (!hasQuery) {
      sendPage(reply, 200, renderSearchPage({ viewer, query: '', results: null }));
      return;
    }
    try {
      const results = await this.search.search(scope, q, consoleActor(user, request));
      sendPage(reply, 200, renderSearchPage({ viewer, query: q, results }));
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed))
        throw error;
      const message = error.fieldErrors[0]?.message ?? error.message;
      sendPage(reply, 400, renderSearchPage({ viewer, query: q, results: null, error: message }));
    }
  }
}
