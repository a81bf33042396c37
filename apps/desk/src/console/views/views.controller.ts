import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { NotFoundException } from '@madoguchi/common';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import {
  BulkActionService,
  CannedResponseService,
  QueueService,
  SavedViewService,
} from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import { hasPermission } from '../../auth/permissions';
import {
  CurrentActor,
  findView,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { QUEUE_PAGE_SIZE } from '../queue/queue.controller';
import { VIEWS_TEXTS } from './views.texts';
import { renderViewList } from './views.view';

const NOTICES = { saved: VIEWS_TEXTS.notices.saved } as const;

/** Saved views (issue 15): a view's ticket list across the user's queues, saving and deleting views. */
@ApiExcludeController()
@Controller('views')
@RequirePermission('ticket.work')
export class ViewsController {
  constructor(
    private readonly views: SavedViewService,
    private readonly queues: QueueService,
    private readonly bulk: BulkActionService,
    private readonly canned: CannedResponseService,
  ) {}

  @Get(':key')
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('key') key: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const view = await findView(this.views, scope, key);
    if (!view) throw new NotFoundException('ビューが見つかりません。');
    const pageNumber = new FormValues(query).positiveInt('page') ?? 1;
    const page = await this.queues.listTickets(
      scope,
      view.queueId,
      view.filter,
      { page: pageNumber, pageSize: QUEUE_PAGE_SIZE },
      user.id,
    );
    const viewer = viewerOf(user);
    const [staff, canned] = viewer.canWork
      ? await Promise.all([
          this.bulk.assignableStaff(scope, view.queueId === null ? null : [view.queueId]),
          this.canned.listAll(scope),
        ])
      : [[], []];
    const mayShare = hasPermission(user.role, 'view.share');
    return htmlPage(
      renderViewList({
        viewer,
        view,
        page,
        notice: noticeFrom(NOTICES, query.done),
        mayDelete: !view.builtIn && (view.shared ? mayShare : view.ownerUserId === user.id),
        bulk: {
          viewer,
          returnTo: `${view.href}${pageNumber > 1 ? `?page=${pageNumber}` : ''}`,
          pageReferences: page.items.map((item) => item.reference),
          matching: { queueId: view.queueId, query: view.query, total: page.total },
          staff,
          canned: canned.map((c) => ({ id: c.id, title: c.title })),
        },
      }),
    );
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const queueText = form.text('queueId');
    return submitForm({
      run: () =>
        this.views.create(
          scope,
          {
            name: form.text('name'),
            query: form.text('query'),
            queueId: queueText === '' ? null : (form.positiveInt('queueId') ?? -1),
            shared: form.text('shared') === '1',
          },
          actor,
          hasPermission(user.role, 'view.share'),
        ),
      done: (view) => `/views/${view.id}?done=saved`,
      rerenderInvalid: false,
      rerender: () => '',
    });
  }

  @Post(':id/delete')
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<HtmlPage | SeeOther> {
    return submitForm({
      run: () => this.views.remove(scope, id, actor, hasPermission(user.role, 'view.share')),
      done: '/?done=view_deleted',
      rerenderInvalid: false,
      rerender: () => '',
    });
  }
}
