import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { BulkActionService, type BulkActionRequest, type BulkSelection } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import { safeNextPath } from '../../auth/safe-next-path.util';
import {
  CurrentActor,
  formFailureOf,
  FormValues,
  type HtmlPage,
  htmlPage,
  parseViewQuery,
  type SeeOther,
  seeOtherTo,
  submitForm,
  viewerOf,
} from '../../web';
import { renderBulkPreview, renderBulkRefused, renderBulkResult } from './bulk.view';

/** A form's repeated field as a list of strings. */
function listOf(body: unknown, name: string): string[] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : null;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The toolbar's selection: the checked rows, the page's rows, or everything the list's filter matches. */
export function bulkSelectionOf(body: unknown): BulkSelection {
  const form = new FormValues(body);
  const mode = form.text('selection');
  if (mode === 'all') {
    const queueText = form.text('queueId');
    return {
      kind: 'filter',
      queueId: queueText === '' ? null : (form.positiveInt('queueId') ?? -1),
      filter: parseViewQuery(form.text('filter')).filter,
    };
  }
  return { kind: 'references', references: listOf(body, mode === 'page' ? 'pageRef' : 'ref') };
}

export function bulkRequestOf(body: unknown): BulkActionRequest {
  const form = new FormValues(body);
  return {
    action: form.text('action'),
    assignee: form.text('assignee'),
    status: form.text('status'),
    priority: form.text('priority'),
    category: form.text('category'),
    cannedResponseId: form.text('cannedResponseId'),
    nextStatus: form.text('nextStatus') || undefined,
  };
}

/**
 * Bulk actions from the ticket lists (issue 15): the toolbar posts a preview (stored, 303 to
 * it); the preview's form runs it (303 to the stored result, so a reload never posts again).
 */
@ApiExcludeController()
@Controller('bulk-actions')
@RequirePermission('ticket.work')
export class BulkActionController {
  constructor(private readonly bulk: BulkActionService) {}

  @Post()
  async preview(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const returnTo = safeNextPath(new FormValues(body).text('returnTo'));
    try {
      const run = await this.bulk.preview(
        scope,
        bulkRequestOf(body),
        bulkSelectionOf(body),
        actor,
        returnTo,
      );
      return seeOtherTo(`/bulk-actions/${run.id}`);
    } catch (error) {
      // Refused (nothing chosen, more than 500, a value missing): the reason, and the way back.
      const failure = formFailureOf(error, { fields: [] });
      if (failure?.status !== 400) throw error;
      const message = failure.error.fieldErrors.map((e) => e.message).join(' ') || failure.message;
      return htmlPage(renderBulkRefused({ viewer: viewerOf(user), message, returnTo }), 400);
    }
  }

  /** The preview (before running) or the result (after): one stored run, one address. */
  @Get(':id')
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
  ): Promise<HtmlPage> {
    const run = await this.bulk.find(scope, id);
    const viewer = viewerOf(user);
    // Someone else's run (a supervisor looking on) is never run from here: its state only.
    if (run.state !== 'preview' || run.createdByUserId !== user.id)
      return htmlPage(renderBulkResult({ viewer, run }));
    return htmlPage(renderBulkPreview({ viewer, run }));
  }

  @Post(':id/run')
  async run(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const text = new FormValues(body).text('body');
    return submitForm({
      run: () => this.bulk.run(scope, id, actor, { body: text }),
      done: `/bulk-actions/${id}`,
      fields: ['body'],
      unplacedTo: 'body',
      rerender: async (failure) => {
        const run = await this.bulk.find(scope, id);
        return renderBulkPreview({
          viewer: viewerOf(user),
          run,
          body: text,
          error: failure.errors.body ?? failure.message,
        });
      },
    });
  }
}
