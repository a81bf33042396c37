import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { ClosureAdminService } from '@madoguchi/calendar';
import { CurrentUser, RequirePermission } from '../auth';
import { FormValues, noticeFrom, seeOther, sendPage, viewerOf } from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { renderAdminClosures } from '../views';
import { adminActor, fieldErrorsOf } from './merchant-form.util';

const NOTICES = DESK_TEXTS.adminMerchants.notices;
const CLOSURE_FIELDS = ['date', 'reason'] as const;

/** Business calendar closures (admins only). */
@ApiExcludeController()
@Controller('admin/calendar')
@RequirePermission('setup.manage')
export class ClosurePagesController {
  constructor(private readonly closures: ClosureAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(
      reply,
      200,
      renderAdminClosures({
        viewer: viewerOf(user),
        closures: await this.closures.list(),
        notice: noticeFrom(NOTICES, done),
      }),
    );
  }

  @Post()
  async add(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const values = { date: form.text('date'), reason: form.text('reason') };
    try {
      await this.closures.add(values, adminActor(user, request));
    } catch (error) {
      const errors = fieldErrorsOf(error, CLOSURE_FIELDS);
      if (!errors) throw error;
      const closures = await this.closures.list();
      sendPage(
        reply,
        400,
        renderAdminClosures({ viewer: viewerOf(user), closures, values, errors }),
      );
      return;
    }
    seeOther(reply, '/admin/calendar?done=closureAdded');
  }

  @Post(':id/delete')
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.closures.remove(id, adminActor(user, request));
    seeOther(reply, '/admin/calendar?done=closureDeleted');
  }
}
