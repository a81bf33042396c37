import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import {
  BulkActionService,
  CannedResponseService,
  TicketSearchService,
  type TicketListItem,
  TicketTriageService,
} from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  formFailureOf,
  FormValues,
  type HtmlPage,
  htmlPage,
  viewerOf,
} from '../../web';
import type { BulkToolbarParams } from '../bulk/bulk-toolbar.view';
import { renderSearchPage } from './search.view';

/** Exact-match search (reference, email, phone, order number) within the user's scope; audited by the service. */
@ApiExcludeController()
@Controller('search')
@RequirePermission('ticket.read')
export class SearchController {
  constructor(
    private readonly search: TicketSearchService,
    private readonly bulk: BulkActionService,
    private readonly canned: CannedResponseService,
    private readonly triage: TicketTriageService,
  ) {}

  @Get()
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const viewer = viewerOf(user);
    const hasQuery = query !== null && typeof query === 'object' && 'q' in query;
    if (!hasQuery) return htmlPage(renderSearchPage({ viewer, query: '', results: null }));
    const q = new FormValues(query).text('q');
    try {
      const found = await this.search.search(scope, q, actor);
      // Staff see the requester and the latest message (an audited list view, issue 15).
      const results =
        scope.kind === 'staff'
          ? await this.triage.triage(scope, found, actor, { list: 'search' })
          : found;
      const bulk = await this.bulkToolbar(viewer, scope, q, results);
      return htmlPage(renderSearchPage({ viewer, query: q, results, bulk }));
    } catch (error) {
      // A search has no version: only a refused query comes back (400); the rest is thrown.
      const failure = formFailureOf(error, {});
      if (failure?.status !== 400) throw error;
      return htmlPage(
        renderSearchPage({ viewer, query: q, results: null, error: failure.message }),
        400,
      );
    }
  }

  /** The bulk toolbar over the results (issue 15): every result is on the one page. */
  private async bulkToolbar(
    viewer: ReturnType<typeof viewerOf>,
    scope: TenantScope,
    q: string,
    results: readonly TicketListItem[],
  ): Promise<BulkToolbarParams | null> {
    if (!viewer.canWork || results.length === 0) return null;
    const [staff, canned] = await Promise.all([
      this.bulk.assignableStaff(scope, [...new Set(results.map((item) => item.queueId))]),
      this.canned.listAll(scope),
    ]);
    return {
      viewer,
      returnTo: `/search?q=${encodeURIComponent(q)}`,
      pageReferences: results.map((item) => item.reference),
      matching: null,
      staff,
      canned: canned.map((c) => ({ id: c.id, title: c.title })),
    };
  }
}
