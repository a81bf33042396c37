import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { UserSignatureService } from '@madoguchi/tickets';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { SIGNATURE_TEXTS as K } from './signature.texts';
import { renderSignaturePage } from './signature.view';

/**
 * `/account/signature` (issue 15): the name and lines an agent's replies end with. Staff who
 * reply only (merchant users write no replies). Saving is audited (`user.signature_changed`).
 */
@ApiExcludeController()
@Controller('account/signature')
@RequirePermission('ticket.work')
export class AccountSignatureController {
  constructor(private readonly signatures: UserSignatureService) {}

  @Get()
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderSignaturePage({
        viewer: viewerOf(user),
        signature: await this.signatures.get(user.id),
        notice: done === 'saved' ? K.done : done === 'removed' ? K.removed : null,
      }),
    );
  }

  @Post()
  async save(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const typed = { name: form.text('signatureName'), text: form.text('signatureText') };
    return submitForm({
      run: () => this.signatures.set(typed, actor),
      done: (saved) => `/account/signature?done=${saved === null ? 'removed' : 'saved'}`,
      fields: ['signatureName', 'signatureText'] as const,
      rerender: async ({ errors, alert }) =>
        renderSignaturePage({
          viewer: viewerOf(user),
          signature: await this.signatures.get(user.id),
          typed,
          errors,
          error: alert,
        }),
    });
  }
}
