import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { QueueAdminService } from '@madoguchi/tickets';
import { CurrentUser, RequirePermission } from '../auth';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { renderAdminQueues } from '../views/admin-queues.view';
import type { AdminFormErrors } from '../views/admin-users.view';
import { adminFormErrors } from './users-admin.util';

const A = DESK_TEXTS.adminUsers;
const ID_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Queues per merchant and their agent members. Admins only. */
@ApiExcludeController()
@Controller('admin/queues')
@RequirePermission('setup.manage')
export class QueuesAdminController {
  constructor(private readonly queues: QueueAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.render(reply, 200, user, { notice: noticeFrom(A.notices, done) });
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const merchantId = form.positiveInt('merchantId');
    try {
      await this.queues.createQueue(
        merchantId ?? Number.NaN,
        form.text('name'),
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'name');
      if (!errors) throw error;
      await this.render(reply, 400, user, { errors, errorMerchantId: merchantId });
      return;
    }
    seeOther(reply, '/admin/queues?done=queueCreated');
  }

  @Post(':queueId/members')
  async addMember(
    @CurrentUser() user: AuthenticatedUser,
    @Param('queueId', ID_PIPE) queueId: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.queues.addMember(
        queueId,
        new FormValues(body).positiveInt('userId'),
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'userId');
      if (!errors) throw error;
      await this.render(reply, 400, user, { errors });
      return;
    }
    seeOther(reply, '/admin/queues?done=memberAdded');
  }

  @Post(':queueId/members/:userId/remove')
  async removeMember(
    @CurrentUser() user: AuthenticatedUser,
    @Param('queueId', ID_PIPE) queueId: number,
    @Param('userId', ID_PIPE) userId: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.queues.removeMember(queueId, userId, consoleActor(user, request));
    seeOther(reply, '/admin/queues?done=memberRemoved');
  }

  private async render(
    reply: FastifyReply,
    status: number,
    user: AuthenticatedUser,
    extra: { errors?: AdminFormErrors; errorMerchantId?: number | null; notice?: string | null },
  ): Promise<void> {
    sendPage(
      reply,
      status,
      renderAdminQueues({
        viewer: viewerOf(user),
        merchants: await this.queues.overview(),
        agents: await this.queues.agents(),
        ...extra,
      }),
    );
  }
}
