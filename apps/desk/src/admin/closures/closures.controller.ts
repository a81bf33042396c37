import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { ClosureAdminService } from '@madoguchi/calendar';
import { NotFoundException } from '@madoguchi/common';
import type { TicketActor } from '@madoguchi/tenancy';
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
import { CLOSURES_TEXTS } from './closures.texts';
import { renderAdminClosureDeleteConfirm, renderAdminClosures } from './closures.view';

const CLOSURE_FIELDS = ['date', 'reason'] as const;

/** Business calendar closures (admins only). */
@ApiExcludeController()
@Controller('admin/calendar')
@RequirePermission('setup.manage')
export class AdminClosuresController {
  constructor(private readonly closures: ClosureAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderAdminClosures({
        viewer: viewerOf(user),
        closures: await this.closures.list(),
        notice: noticeFrom(CLOSURES_TEXTS.notices, done),
      }),
    );
  }

  @Post()
  async add(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const values = { date: form.text('date'), reason: form.text('reason') };
    return submitForm({
      fields: CLOSURE_FIELDS,
      unplacedTo: CLOSURE_FIELDS[0],
      run: () => this.closures.add(values, actor),
      done: '/admin/calendar?done=closureAdded',
      rerender: async ({ errors }) =>
        renderAdminClosures({
          viewer: viewerOf(user),
          closures: await this.closures.list(),
          values,
          errors,
        }),
    });
  }

  /** The confirm step of a deletion; the delete itself stays POST :id/delete. */
  @Get(':id/delete/confirm')
  async confirmDelete(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<HtmlPage> {
    const closure = (await this.closures.list()).find((c) => c.id === id);
    if (!closure) throw new NotFoundException(CLOSURES_TEXTS.notFound);
    return htmlPage(renderAdminClosureDeleteConfirm({ viewer: viewerOf(user), closure }));
  }

  @Post(':id/delete')
  async remove(
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<SeeOther> {
    await this.closures.remove(id, actor);
    return seeOtherTo('/admin/calendar?done=closureDeleted');
  }
}
