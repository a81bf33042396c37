import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DevMailboxService } from '@madoguchi/mail';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentUser, RequirePermission } from '../../auth';
import { CurrentActor, type HtmlPage, htmlPage, viewerOf } from '../../web';
import { renderDevMailbox } from './dev-mailbox.view';

/**
 * `/admin/dev-mailbox` (docs/email.md): outside production, the outbox's mails in full, so the
 * status link of a demo inquiry can be followed without an SMTP server. Admins only (the same
 * permission as the outbox page); in production the service answers 404; every read audited.
 */
@ApiExcludeController()
@Controller('admin/dev-mailbox')
@RequirePermission('outbox.manage')
export class AdminDevMailboxController {
  constructor(private readonly mailbox: DevMailboxService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
  ): Promise<HtmlPage> {
    const entries = await this.mailbox.read(actor);
    return htmlPage(renderDevMailbox({ viewer: viewerOf(user), entries }));
  }
}
