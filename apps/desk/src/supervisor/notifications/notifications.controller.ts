import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { SlaNotificationService } from '@madoguchi/tickets';
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
  viewerOf,
} from '../../web';
import { NOTIFICATIONS_TEXTS } from './notifications.texts';
import { NOTIFICATIONS_PATH, renderNotificationsPage } from './notifications.view';

/** A supervisor's own SLA alerts (issue 15): list, mark read, mail opt-in. */
@ApiExcludeController()
@Controller('supervisor/notifications')
@RequirePermission('dashboard.read')
export class SupervisorNotificationsController {
  constructor(private readonly notifications: SlaNotificationService) {}

  @Get()
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderNotificationsPage({
        viewer: viewerOf(user),
        notifications: await this.notifications.list(user.id),
        mailOn: await this.notifications.mailOptedIn(user.id),
        notice: noticeFrom(NOTIFICATIONS_TEXTS.notices, done),
      }),
    );
  }

  /** `alertId`: one of the user's alerts, or `all`. */
  @Post('read')
  async read(@CurrentUser() user: AuthenticatedUser, @Body() body: unknown): Promise<SeeOther> {
    const text = new FormValues(body).text('alertId');
    const alertId = text === 'all' ? null : Number(text);
    if (alertId === null || (Number.isInteger(alertId) && alertId > 0)) {
      await this.notifications.markRead(user.id, alertId);
    }
    return seeOtherTo(`${NOTIFICATIONS_PATH}?done=read`);
  }

  @Post('mail')
  async mail(@CurrentActor() actor: TicketActor, @Body() body: unknown): Promise<SeeOther> {
    const on = new FormValues(body).text('mail') !== '';
    await this.notifications.setMail(actor, on);
    return seeOtherTo(`${NOTIFICATIONS_PATH}?done=${on ? 'mailOn' : 'mailOff'}`);
  }
}
