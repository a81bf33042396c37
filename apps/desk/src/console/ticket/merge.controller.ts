import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { type MergeResult, TicketMergeService, TicketWorkService } from '@madoguchi/tickets';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import { hasPermission } from '../../auth/permissions';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { TicketForm, type TicketFormPost } from './ticket-form.decorator';
import { TICKET_TEXTS as K } from './ticket.texts';
import { renderMergeConfirm, renderMergePick } from './merge.view';

/** Refusals that bring the confirm step back with the reason (409). */
const MERGE_CONFLICTS: readonly ErrorCode[] = [
  ErrorCode.MergeRefused,
  ErrorCode.MergeRequesterMismatch,
];

const INTO_NOT_FOUND =
  '統合先のお問い合わせが見つかりません。同じ加盟店のお問い合わせの受付番号を指定してください。';

/**
 * Issue 15, merging tickets in the console: the pick step (`GET …/merge`: the requester's
 * tickets or a reference), the confirm step (`GET …/merge?into=`: both tickets, no personal
 * data) and the merge itself (`POST …/merge`, both versions). Another merchant's ticket is 404
 * like an unknown one; tickets without a shared email or phone need a supervisor's confirmation.
 */
@ApiExcludeController()
@Controller('tickets')
export class MergeController {
  constructor(
    private readonly work: TicketWorkService,
    private readonly merges: TicketMergeService,
  ) {}

  @Get(':reference/merge')
  @RequirePermission('ticket.work')
  async step(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const into = new FormValues(query).text('into').trim();
    if (into === '') return this.pick(user, scope, actor, reference);
    try {
      const preview = await this.merges.preview(scope, reference, into);
      return htmlPage(
        renderMergeConfirm({
          viewer: viewerOf(user),
          preview,
          mayConfirmUnrelated: hasPermission(user.role, 'ticket.merge_unrelated'),
        }),
      );
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === ErrorCode.NotFound) {
        // The merged ticket itself must be in the scope (404 page otherwise, from detail).
        return this.pick(user, scope, actor, reference, into, INTO_NOT_FOUND, 404);
      }
      if (error.code === ErrorCode.ValidationFailed) {
        const message = error.fieldErrors[0]?.message ?? error.message;
        return this.pick(user, scope, actor, reference, into, message, 400);
      }
      throw error;
    }
  }

  @Post(':reference/merge')
  @RequirePermission('ticket.read')
  merge(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const { form, scope, reference, actor, user } = post;
    const into = form.text('into').trim();
    const version = form.version();
    const intoVersion = new FormValues({ version: form.text('intoVersion') }).version();
    const mayConfirmUnrelated = hasPermission(user.role, 'ticket.merge_unrelated');
    return submitForm({
      run: async (): Promise<MergeResult> => {
        // No versions: the page cannot know what the agent saw, so refuse rather than merge.
        if (version === null || intoVersion === null) {
          await this.work.assertWritable(scope, reference);
          throw new DomainException(ErrorCode.StaleVersion, K.staleWarning);
        }
        return this.merges.merge(
          scope,
          reference,
          {
            into,
            expectedVersion: version,
            intoExpectedVersion: intoVersion,
            confirmUnrelated: form.text('confirmUnrelated') === 'true',
          },
          actor,
          { mayConfirmUnrelated },
        );
      },
      done: (result) => `/tickets/${encodeURIComponent(result.survivor.reference)}?done=merged`,
      fields: ['into'] as const,
      conflicts: MERGE_CONFLICTS,
      rerender: async ({ status, errors, alert }) => {
        if (status === 400) {
          const page = await this.pick(user, scope, actor, reference, into, errors.into ?? alert);
          return page.html;
        }
        const preview = await this.merges.preview(scope, reference, into);
        return renderMergeConfirm({ viewer: viewerOf(user), preview, mayConfirmUnrelated, alert });
      },
    });
  }

  private async pick(
    user: AuthenticatedUser,
    scope: TenantScope,
    actor: TicketActor,
    reference: string,
    into?: string,
    error?: string | null,
    status = 200,
  ): Promise<HtmlPage> {
    // The requester's other tickets come with the ticket's detail: an audited view.
    const ticket = await this.work.detail(scope, reference, actor);
    return htmlPage(renderMergePick({ viewer: viewerOf(user), ticket, into, error }), status);
  }
}
