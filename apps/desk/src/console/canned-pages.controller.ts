import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode, NotFoundException } from '@madoguchi/common';
import {
  CannedResponseService,
  type CannedResponseView,
  QueueService,
  type TicketScope,
} from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type CannedFormErrors,
  type CannedFormValues,
  type MerchantOption,
  renderCannedEdit,
  renderCannedList,
} from '../views';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from './console-http.util';

const C = DESK_TEXTS.canned;

function formErrors(error: unknown): CannedFormErrors | null {
  if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed)) return null;
  const errors: CannedFormErrors = {};
  for (const fieldError of error.fieldErrors) {
    if (
      fieldError.field === 'title' ||
      fieldError.field === 'body' ||
      fieldError.field === 'merchantId'
    ) {
      errors[fieldError.field] ??= fieldError.message;
    }
  }
  if (Object.keys(errors).length === 0) errors.title = error.message;
  return errors;
}

/** Managing canned responses: supervisors and admins only (403 for everyone else). */
@ApiExcludeController()
@Controller('canned-responses')
@RequirePermission('canned.manage')
export class CannedPagesController {
  constructor(
    private readonly canned: CannedResponseService,
    private readonly queues: QueueService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(
      reply,
      200,
      renderCannedList({
        viewer: viewerOf(user),
        items: await this.canned.listAll(scope),
        merchants: await this.merchants(scope),
        notice: noticeFrom(C.notices, done),
      }),
    );
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const values: CannedFormValues = {
      title: form.text('title'),
      body: form.text('body'),
      merchantId: form.text('merchantId'),
    };
    const merchants = await this.merchants(scope);
    const merchantId = values.merchantId === '' ? null : form.positiveInt('merchantId');
    if (
      values.merchantId !== '' &&
      (merchantId === null || !merchants.some((m) => m.id === merchantId))
    ) {
      await this.renderListWithErrors(reply, user, scope, values, {
        merchantId: DESK_TEXTS.validation.invalidChoice.replace('{field}', C.scopeLabel),
      });
      return;
    }
    try {
      await this.canned.create(
        scope,
        { merchantId, title: values.title ?? '', body: values.body ?? '' },
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = formErrors(error);
      if (!errors) throw error;
      await this.renderListWithErrors(reply, user, scope, values, errors);
      return;
    }
    seeOther(reply, '/canned-responses?done=saved');
  }

  @Get(':id/edit')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const item = await this.find(scope, id);
    sendPage(
      reply,
      200,
      renderCannedEdit({ viewer: viewerOf(user), item, merchants: await this.merchants(scope) }),
    );
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const item = await this.find(scope, id);
    const values: CannedFormValues = {
      title: form.text('title'),
      body: form.text('body'),
      merchantId: item.merchantId === null ? '' : String(item.merchantId),
    };
    try {
      await this.canned.update(
        scope,
        id,
        { title: values.title ?? '', body: values.body ?? '' },
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = formErrors(error);
      if (!errors) throw error;
      const merchants = await this.merchants(scope);
      sendPage(
        reply,
        400,
        renderCannedEdit({ viewer: viewerOf(user), item, merchants, values, errors }),
      );
      return;
    }
    seeOther(reply, '/canned-responses?done=saved');
  }

  @Post(':id/delete')
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.canned.remove(scope, id, consoleActor(user, request));
    seeOther(reply, '/canned-responses?done=deleted');
  }

  private async renderListWithErrors(
    reply: FastifyReply,
    user: AuthenticatedUser,
    scope: TicketScope,
    values: CannedFormValues,
    errors: CannedFormErrors,
  ): Promise<void> {
    sendPage(
      reply,
      400,
      renderCannedList({
        viewer: viewerOf(user),
        items: await this.canned.listAll(scope),
        merchants: await this.merchants(scope),
        values,
        errors,
      }),
    );
  }

  private async find(scope: TicketScope, id: number): Promise<CannedResponseView> {
    const item = (await this.canned.listAll(scope)).find((each) => each.id === id);
    if (!item) throw new NotFoundException('定型文が見つかりません。');
    return item;
  }

  /** The merchants whose queues the user may work: the choices for a merchant's own text. */
  private async merchants(scope: TicketScope): Promise<MerchantOption[]> {
    const byId = new Map<number, string>();
    for (const queue of await this.queues.summaries(scope))
      byId.set(queue.merchantId, queue.merchantName);
    return [...byId].map(([id, name]) => ({ id, name }));
  }
}
