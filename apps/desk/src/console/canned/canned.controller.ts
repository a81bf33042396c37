import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { NotFoundException, ValidationFailedException } from '@madoguchi/common';
import { CannedResponseService, type CannedResponseView, QueueService } from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  seeOtherTo,
  SHARED_TEXTS,
  submitForm,
  viewerOf,
} from '../../web';
import {
  type CannedFormValues,
  type MerchantOption,
  renderCannedEdit,
  renderCannedList,
} from './canned.view';
import { CANNED_TEXTS as C } from './canned.texts';

const CANNED_FIELDS = ['title', 'body', 'merchantId'] as const;
const DONE_SAVED = '/canned-responses?done=saved';

/** Managing canned responses: supervisors and admins only (403 for everyone else). */
@ApiExcludeController()
@Controller('canned-responses')
@RequirePermission('canned.manage')
export class CannedController {
  constructor(
    private readonly canned: CannedResponseService,
    private readonly queues: QueueService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
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
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const values: CannedFormValues = {
      title: form.text('title'),
      body: form.text('body'),
      merchantId: form.text('merchantId'),
    };
    const merchants = await this.merchants(scope);
    const merchantId = values.merchantId === '' ? null : form.positiveInt('merchantId');
    return submitForm({
      fields: CANNED_FIELDS,
      unplacedTo: 'title',
      run: async () => {
        // Only a merchant whose queues the user works may own a text.
        if (
          values.merchantId !== '' &&
          (merchantId === null || !merchants.some((m) => m.id === merchantId))
        ) {
          const message = SHARED_TEXTS.validation.invalidChoice.replace('{field}', C.scopeLabel);
          throw new ValidationFailedException([{ field: 'merchantId', message }]);
        }
        await this.canned.create(
          scope,
          { merchantId, title: values.title ?? '', body: values.body ?? '' },
          actor,
        );
      },
      done: DONE_SAVED,
      rerender: async ({ errors }) =>
        renderCannedList({
          viewer: viewerOf(user),
          items: await this.canned.listAll(scope),
          merchants: await this.merchants(scope),
          values,
          errors,
        }),
    });
  }

  @Get(':id/edit')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<HtmlPage> {
    const item = await this.find(scope, id);
    return htmlPage(
      renderCannedEdit({ viewer: viewerOf(user), item, merchants: await this.merchants(scope) }),
    );
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const item = await this.find(scope, id);
    const values: CannedFormValues = {
      title: form.text('title'),
      body: form.text('body'),
      merchantId: item.merchantId === null ? '' : String(item.merchantId),
    };
    return submitForm({
      fields: CANNED_FIELDS,
      unplacedTo: 'title',
      run: () =>
        this.canned.update(
          scope,
          id,
          { title: values.title ?? '', body: values.body ?? '' },
          actor,
        ),
      done: DONE_SAVED,
      rerender: async ({ errors }) =>
        renderCannedEdit({
          viewer: viewerOf(user),
          item,
          merchants: await this.merchants(scope),
          values,
          errors,
        }),
    });
  }

  @Post(':id/delete')
  async remove(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<SeeOther> {
    await this.canned.remove(scope, id, actor);
    return seeOtherTo('/canned-responses?done=deleted');
  }

  private async find(scope: TenantScope, id: number): Promise<CannedResponseView> {
    const item = (await this.canned.listAll(scope)).find((each) => each.id === id);
    if (!item) throw new NotFoundException('定型文が見つかりません。');
    return item;
  }

  /** The merchants whose queues the user may work: the choices for a merchant's own text. */
  private async merchants(scope: TenantScope): Promise<MerchantOption[]> {
    const byId = new Map<number, string>();
    for (const queue of await this.queues.summaries(scope))
      byId.set(queue.merchantId, queue.merchantName);
    return [...byId].map(([id, name]) => ({ id, name }));
  }
}
