import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { type AuthenticatedUser, MERCHANT_ROLES } from '@madoguchi/auth';
import { NotFoundException } from '@madoguchi/common';
import {
  isDeterminationFilter,
  isTicketCategory,
  isTicketChannel,
  isTicketStatus,
  IncidentAnswerService,
  QueueService,
  scopedQueueQuery,
  TICKET_STATUSES,
  TicketClaimService,
  type TicketListFilter,
  type TicketScope,
} from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type QueueFilterValues,
  type QueueHeader,
  renderQueueList,
  renderQueueOverview,
  renderQueueOverviewTable,
  renderQueueRows,
} from '../views';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendFragment,
  sendPage,
  viewerOf,
} from './console-http.util';

export const QUEUE_PAGE_SIZE = 25;

const QUEUE_NOTICES = { empty: DESK_TEXTS.queue.queueEmpty } as const;

/** Reads the filter form; values outside the fixed lists are dropped, so a bad link still shows the queue. */
export function parseQueueFilter(query: unknown): {
  values: QueueFilterValues;
  filter: TicketListFilter;
} {
  const form = new FormValues(query);
  const status = form.text('status');
  const category = form.text('category');
  const channel = form.text('channel');
  const assignee = form.text('assignee');
  const values: QueueFilterValues = {
    status: status === 'all' || isTicketStatus(status) ? status : '',
    category: isTicketCategory(category) ? category : '',
    channel: isTicketChannel(channel) ? channel : '',
    assignee: assignee === 'me' || assignee === 'unassigned' ? assignee : '',
    incident: form.positiveInt('incident') === null ? '' : String(form.positiveInt('incident')),
    determination: isDeterminationFilter(form.text('determination'))
      ? form.text('determination')
      : '',
  };
  const filter: TicketListFilter = {};
  if (values.status === 'all') filter.status = [...TICKET_STATUSES];
  else if (isTicketStatus(values.status)) filter.status = [values.status];
  if (isTicketCategory(values.category)) filter.category = values.category;
  if (isTicketChannel(values.channel)) filter.channel = values.channel;
  if (values.assignee === 'me' || values.assignee === 'unassigned')
    filter.assignee = values.assignee;
  if (values.incident) filter.incident = Number(values.incident);
  if (isDeterminationFilter(values.determination)) filter.determination = values.determination;
  return { values, filter };
}

/** The queue overview (`/`), a queue's list with filters and paging, and take-next. */
@ApiExcludeController()
@Controller()
@RequirePermission('ticket.read')
export class QueuePagesController {
  constructor(
    private readonly queues: QueueService,
    private readonly claims: TicketClaimService,
    private readonly dataSource: DataSource,
    private readonly answers: IncidentAnswerService,
  ) {}

  @Get()
  async overview(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Merchant users land in the merchant portal (apps/desk/src/portal), not the queue overview.
    if (MERCHANT_ROLES.includes(user.role)) {
      seeOther(reply, '/portal/cases');
      return;
    }
    const summaries = await this.queues.summaries(scope);
    if (new FormValues(query).text('fragment') === 'summary') {
      sendFragment(reply, renderQueueOverviewTable(summaries).toString());
      return;
    }
    sendPage(reply, 200, renderQueueOverview({ viewer: viewerOf(user), queues: summaries }));
  }

  @Get('queues/:id')
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(query);
    const { values, filter } = parseQueueFilter(query);
    const pageNumber = form.positiveInt('page') ?? 1;
    // Throws NotFound for a queue outside the scope: the same 404 as an unknown one.
    const page = await this.queues.listTickets(
      scope,
      id,
      filter,
      { page: pageNumber, pageSize: QUEUE_PAGE_SIZE },
      user.id,
    );
    const params = {
      viewer: viewerOf(user),
      queue: await this.queueHeader(scope, id),
      page,
      filter: values,
      notice: noticeFrom(QUEUE_NOTICES, query.done),
    };
    if (form.text('fragment') === 'rows') {
      sendFragment(reply, renderQueueRows(params).toString());
      return;
    }
    // The incident filter's options: only the full page has the filter form.
    const incidents = await this.answers.filterOptions(scope);
    sendPage(reply, 200, renderQueueList({ ...params, incidents }));
  }

  @Post('queues/:id/take-next')
  async takeNext(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const claimed = await this.claims.takeNext(scope, id, consoleActor(user, request));
    if (!claimed) {
      seeOther(reply, `/queues/${id}?done=empty`);
      return;
    }
    seeOther(reply, `/tickets/${encodeURIComponent(claimed.reference)}?done=claimed`);
  }

  /** The queue's name and merchant for the heading, through the scoped query like every read. */
  private async queueHeader(scope: TicketScope, id: number): Promise<QueueHeader> {
    const queue = await scopedQueueQuery(this.dataSource.manager, scope)
      .leftJoin('queue.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .andWhere('queue.id = :id', { id })
      .getOne();
    if (!queue) throw new NotFoundException('キューが見つかりません。');
    return { id: queue.id, name: queue.name, merchantName: queue.merchant?.name ?? '' };
  }
}
