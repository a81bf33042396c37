import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { MerchantSettingsService, type TicketScope } from '@madoguchi/tickets';
import { adminFormErrors } from '../admin/users-admin.util';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import {
  PORTAL_SETTINGS_PATH,
  type PortalSettingsFormValues,
  renderPortalSettings,
} from '../views/portal-settings.view';
import { merchantScopeOf } from './portal-http.util';

const S = DESK_TEXTS.portalSettings;

/**
 * A merchant admin's own settings: notification addresses, allowed IP ranges and the hand-back
 * reminder's business days. Operator admins
 * edit every merchant under /admin/merchants, so this page is for merchant_admin only (403 for
 * everyone else); the merchant is the session's scope, never a form field.
 */
@ApiExcludeController()
@Controller('portal/settings')
@Roles('merchant_admin')
@RequirePermission('merchant.settings')
export class PortalSettingsController {
  constructor(private readonly settings: MerchantSettingsService) {}

  @Get()
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query('done') done: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const settings = await this.settings.get(merchantScopeOf(scope).merchantId);
    sendPage(
      reply,
      200,
      renderPortalSettings({
        viewer: viewerOf(user),
        merchantName: settings.merchantName,
        values: {
          notificationEmails: settings.notificationEmails.join('\n'),
          allowedIpRanges: settings.allowedIpRanges.join('\n'),
          handBackReminderDays: String(settings.handBackReminderDays),
        },
        currentIp: request.ip ?? null,
        notice: noticeFrom(S.notices, done),
      }),
    );
  }

  @Post()
  async save(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    const form = new FormValues(body);
    const values: PortalSettingsFormValues = {
      notificationEmails: form.text('notificationEmails'),
      allowedIpRanges: form.text('allowedIpRanges'),
      handBackReminderDays: form.text('handBackReminderDays'),
    };
    // A form without the field (an older page, a script) keeps the current reminder days.
    const sentDays = body !== null && typeof body === 'object' && 'handBackReminderDays' in body;
    try {
      await this.settings.update(
        merchantId,
        { ...values, handBackReminderDays: sentDays ? values.handBackReminderDays : undefined },
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'allowedIpRanges');
      if (!errors) throw error;
      const current = await this.settings.get(merchantId);
      sendPage(
        reply,
        400,
        renderPortalSettings({
          viewer: viewerOf(user),
          merchantName: current.merchantName,
          values: sentDays
            ? values
            : { ...values, handBackReminderDays: String(current.handBackReminderDays) },
          currentIp: request.ip ?? null,
          errors,
        }),
      );
      return;
    }
    seeOther(reply, `${PORTAL_SETTINGS_PATH}?done=saved`);
  }
}
