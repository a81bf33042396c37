import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { type AuthenticatedUser, MERCHANT_ROLES } from '@madoguchi/auth';
import { IncidentAnswerService } from '@madoguchi/incident-response';
import {
  BulkActionService,
  CannedResponseService,
  QueueService,
  SavedViewService,
  TicketClaimService,
  TicketPresenceService,
  TicketTriageService,
} from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import { hasPermission } from '../../auth/permissions';
import {
  CurrentActor,
  FormValues,
  type HtmlFragment,
  htmlFragment,
  type HtmlPage,
  htmlPage,
  listQuery,
  noticeFrom,
  parseAssigneeTicketListFilter,
  type SeeOther,
  seeOtherTo,
  viewerOf,
  viewsWithCounts,
} from '../../web';
import { VIEWS_TEXTS } from '../views/views.texts';
import { renderQueueOverview, renderQueueOverviewTable } from './queue-overview.view';
import { QUEUE_TEXTS } from './queue.texts';
import {
  type QueueBulkParams,
  type QueueListParams,
  renderQueueList,
  renderQueueRows,
} from './queue.view';

export const QUEUE_PAGE_SIZE = 25;

const QUEUE_NOTICES = { empty: QUEUE_TEXTS.queueEmpty } as const;
const OVERVIEW_NOTICES = { view_deleted: VIEWS_TEXTS.notices.deleted } as const;

/** The queue overview (`/`), a queue's list with filters and paging, and take-next. */
@ApiExcludeController()
@Controller()
@RequirePermission('ticket.read')
export class QueueController {
  constructor(
    private readonly queues: QueueService,
    private readonly claims: TicketClaimService,
    private readonly answers: IncidentAnswerService,
    private readonly savedViews: SavedViewService,
    private readonly bulk: BulkActionService,
    private readonly canned: CannedResponseService,
    private readonly triage: TicketTriageService,
    private readonly presence: TicketPresenceService,
  ) {}

  @Get()
  async overview(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage | HtmlFragment | SeeOther> {
    // Merchant users land in the merchant portal (apps/desk/src/portal), not the queue overview.
    if (MERCHANT_ROLES.includes(user.role)) return seeOtherTo('/portal/cases');
    const summaries = await this.queues.summaries(scope);
    if (new FormValues(query).text('fragment') === 'summary') {
      return htmlFragment(renderQueueOverviewTable(summaries));
    }
    // Saved views with their counts (issue 15): one grouped query (SavedViewService.counts).
    const views = await viewsWithCounts(this.savedViews, scope);
    return htmlPage(
      renderQueueOverview({
        viewer: viewerOf(user),
        queues: summaries,
        views,
        notice: noticeFrom(OVERVIEW_NOTICES, query.done),
      }),
    );
  }

  @Get('queues/:id')
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage | HtmlFragment> {
    const form = new FormValues(query);
    const { values, filter } = parseAssigneeTicketListFilter(query);
    const pageNumber = form.positiveInt('page') ?? 1;
    // Throws NotFound for a queue outside the scope: the same 404 as an unknown one.
    const page = await this.queues.listTickets(
      scope,
      id,
      filter,
      { page: pageNumber, pageSize: QUEUE_PAGE_SIZE },
      user.id,
    );
    // Staff see the requester and the latest message (an audited list view, issue 15).
    const items =
      scope.kind === 'staff'
        ? await this.triage.triage(scope, page.items, actor, { list: 'queue', queueId: id })
        : page.items;
    const params = {
      viewer: viewerOf(user),
      queue: await this.queues.header(scope, id),
      page: { ...page, items },
      filter: values,
      notice: noticeFrom(QUEUE_NOTICES, query.done),
      // Issue 15: who else has which of these tickets open (any desk instance).
      presence: await this.presence.forReferences(
        scope,
        page.items.map((item) => item.reference),
        user.id,
      ),
    };
    if (form.text('fragment') === 'rows') return htmlFragment(renderQueueRows(params));
    // The incident filter's options: only the full page has the filter form.
    const incidents = await this.answers.filterOptions(scope);
    return htmlPage(
      renderQueueList({ ...params, incidents, bulk: await this.bulkToolbar(user, scope, params) }),
    );
  }

  /** The bulk toolbar's choices and the list's "all matching" (issue 15); null for readers. */
  private async bulkToolbar(
    user: AuthenticatedUser,
    scope: TenantScope,
    params: Pick<QueueListParams, 'viewer' | 'queue' | 'page' | 'filter'>,
  ): Promise<QueueBulkParams | null> {
    if (!params.viewer.canWork) return null;
    const merchantId = params.page.items[0]?.merchantId;
    const [staff, canned] = await Promise.all([
      this.bulk.assignableStaff(scope, [params.queue.id]),
      this.canned.listAll(scope),
    ]);
    const query = listQuery(params.filter).replace(/^\?/, '');
    return {
      toolbar: {
        viewer: params.viewer,
        returnTo: `/queues/${params.queue.id}${listQuery(params.filter, params.page.page > 1 ? { page: String(params.page.page) } : {})}`,
        pageReferences: params.page.items.map((item) => item.reference),
        matching: { queueId: params.queue.id, query, total: params.page.total },
        staff,
        canned: canned
          .filter((c) => c.merchantId === null || c.merchantId === merchantId)
          .map((c) => ({ id: c.id, title: c.title })),
      },
      saveView: {
        viewer: params.viewer,
        query,
        queueId: params.queue.id,
        mayShare: hasPermission(user.role, 'view.share'),
      },
    };
  }

  @Post('queues/:id/take-next')
  async takeNext(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<SeeOther> {
    const claimed = await this.claims.takeNext(scope, id, actor);
    if (!claimed) return seeOtherTo(`/queues/${id}?done=empty`);
    return seeOtherTo(`/tickets/${encodeURIComponent(claimed.reference)}?done=claimed`);
  }
}
