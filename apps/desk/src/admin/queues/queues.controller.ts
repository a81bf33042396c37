import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { NotFoundException } from '@madoguchi/common';
import { QueueAdminService } from '@madoguchi/tenant-admin';
import { type TicketActor } from '@madoguchi/tenancy';
import { CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  seeOtherTo,
  submitForm,
  viewerOf,
} from '../../web';
import type { AdminFormErrors } from '../users/users.view';
import { QUEUES_TEXTS } from './queues.texts';
import { renderAdminQueues, renderQueueMemberRemoveConfirm } from './queues.view';

const ID_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Queues per merchant and their agent members. Admins only. */
@ApiExcludeController()
@Controller('admin/queues')
@RequirePermission('setup.manage')
export class AdminQueuesController {
  constructor(private readonly queues: QueueAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(await this.page(user, { notice: noticeFrom(QUEUES_TEXTS.notices, done) }));
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const merchantId = form.positiveInt('merchantId');
    return submitForm({
      unplacedTo: 'name',
      run: () => this.queues.createQueue(merchantId ?? Number.NaN, form.text('name'), actor),
      done: '/admin/queues?done=queueCreated',
      rerender: ({ errors }) => this.page(user, { errors, errorMerchantId: merchantId }),
    });
  }

  @Post(':queueId/members')
  async addMember(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('queueId', ID_PIPE) queueId: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    return submitForm({
      unplacedTo: 'userId',
      run: () => this.queues.addMember(queueId, new FormValues(body).positiveInt('userId'), actor),
      done: '/admin/queues?done=memberAdded',
      rerender: ({ errors }) => this.page(user, { errors }),
    });
  }

  /** The confirm step of taking an agent off a queue; the removal stays the POST below. */
  @Get(':queueId/members/:userId/remove/confirm')
  async confirmRemoveMember(
    @CurrentUser() user: AuthenticatedUser,
    @Param('queueId', ID_PIPE) queueId: number,
    @Param('userId', ID_PIPE) userId: number,
  ): Promise<HtmlPage> {
    for (const merchant of await this.queues.overview()) {
      const queue = merchant.queues.find((q) => q.id === queueId);
      const member = queue?.members.find((m) => m.userId === userId);
      if (queue && member) {
        return htmlPage(
          renderQueueMemberRemoveConfirm({ viewer: viewerOf(user), merchant, queue, member }),
        );
      }
    }
    throw new NotFoundException(QUEUES_TEXTS.memberNotFound);
  }

  @Post(':queueId/members/:userId/remove')
  async removeMember(
    @CurrentActor() actor: TicketActor,
    @Param('queueId', ID_PIPE) queueId: number,
    @Param('userId', ID_PIPE) userId: number,
  ): Promise<SeeOther> {
    await this.queues.removeMember(queueId, userId, actor);
    return seeOtherTo('/admin/queues?done=memberRemoved');
  }

  private async page(
    user: AuthenticatedUser,
    extra: { errors?: AdminFormErrors; errorMerchantId?: number | null; notice?: string | null },
  ): Promise<string> {
    return renderAdminQueues({
      viewer: viewerOf(user),
      merchants: await this.queues.overview(),
      agents: await this.queues.agents(),
      ...extra,
    });
  }
}
