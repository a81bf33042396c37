import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { IncidentAnswerService } from '@madoguchi/incident-response';
import { MerchantProfileService, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { HandBackService, QueueService, TicketSearchService } from '@madoguchi/tickets';
import { html } from '@madoguchi/ui';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import {
  CurrentActor,
  FormValues,
  formFailureOf,
  type HtmlPage,
  htmlPage,
  parseTicketListFilter,
  type SeeOther,
  seeOtherTo,
  viewerOf,
} from '../../web';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';
import { PORTAL_CASES_PATH, renderPortalCases } from './cases.view';
import { portalCaseTabs, portalWaitingBar, renderPortalHandBacks } from './hand-backs.view';

export const PORTAL_CASES_PAGE_SIZE = 25;

/**
 * The merchant's cases: list with filters and paging, exact-match search, and the hand-back
 * list with its counts (the case page is portal/case). The scope is the merchant's own
 * (resolved by the session guard); every read goes through the tickets lib's scoped queries.
 */
@ApiExcludeController()
@Controller('portal')
@Roles(...PORTAL_ROLES)
@RequirePermission('ticket.read')
export class PortalCasesController {
  constructor(
    private readonly queues: QueueService,
    private readonly search: TicketSearchService,
    private readonly merchants: MerchantProfileService,
    private readonly answers: IncidentAnswerService,
    private readonly handBacks: HandBackService,
  ) {}

  @Get()
  home(): SeeOther {
    return seeOtherTo(PORTAL_CASES_PATH);
  }

  @Get('cases')
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
    @CurrentActor() actor: TicketActor,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const viewer = viewerOf(user);
    const merchantName = await this.merchants.name(merchantScope);
    const form = new FormValues(query);
    const { values, filter } = parseTicketListFilter(query);
    if (query !== null && typeof query === 'object' && 'q' in query) {
      const q = form.text('q');
      try {
        const results = await this.search.search(scope, q, actor);
        return htmlPage(
          renderPortalCases({
            viewer,
            merchantName,
            filter: values,
            page: null,
            search: { query: q, results },
          }),
        );
      } catch (error) {
        // Only a refused query comes back to the form (a search changes nothing: no 409 here).
        const failure = formFailureOf(error, {});
        if (!failure || failure.status !== 400) throw error;
        return htmlPage(
          renderPortalCases({
            viewer,
            merchantName,
            filter: values,
            page: null,
            search: { query: q, results: null, error: failure.message },
          }),
          400,
        );
      }
    }
    const page = await this.queues.listTickets(
      scope,
      null,
      filter,
      { page: form.positiveInt('page') ?? 1, pageSize: PORTAL_CASES_PAGE_SIZE },
      user.id,
    );
    const incidents = await this.answers.filterOptions(scope);
    const counts = await this.handBacks.counts(scope);
    return htmlPage(
      renderPortalCases({
        viewer,
        merchantName,
        filter: values,
        page,
        incidents,
        waiting: html`${portalWaitingBar(counts)} ${portalCaseTabs('all', counts)}`,
      }),
    );
  }

  /** Handed-back cases: open (not yet marked answered) by default, or `?state=answered`. */
  @Get('handbacks')
  async handBackList(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const state = new FormValues(query).text('state') === 'answered' ? 'answered' : 'open';
    const [items, counts, merchantName] = await Promise.all([
      this.handBacks.list(scope, state),
      this.handBacks.counts(scope),
      this.merchants.name(merchantScope),
    ]);
    return htmlPage(
      renderPortalHandBacks({ viewer: viewerOf(user), merchantName, state, items, counts }),
    );
  }
}
