import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { MerchantSettingsService } from '@madoguchi/tenant-admin';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { merchantScopeOf } from '../shared/portal-http.util';
import { SETTINGS_TEXTS } from './settings.texts';
import {
  PORTAL_SETTINGS_PATH,
  type PortalSettingsFormValues,
  renderPortalSettings,
  renderPortalSettingsRangeConfirm,
} from './settings.view';

const S = SETTINGS_TEXTS;

/**
 * A merchant admin's own settings: notification addresses, allowed IP ranges and the hand-back
 * reminder's business days. Operator admins edit every merchant under /admin/merchants, so this
 * page is for merchant_admin only (403 for everyone else); the merchant is the session's scope,
 * never a form field.
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
    @CurrentScope() scope: TenantScope,
    @Query('done') done: unknown,
    @Req() request: FastifyRequest,
  ): Promise<HtmlPage> {
    const settings = await this.settings.get(merchantScopeOf(scope));
    return htmlPage(
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

  /**
   * The settings form's target: saves at once, unless the new list drops allowed IP ranges;
   * then it shows what goes and what stays, and saves only when that page is confirmed (it
   * posts to the plain save below). Nothing is written until then.
   */
  @Post('review')
  async review(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const current = await this.settings.get(merchantScopeOf(scope));
    const form = new FormValues(body);
    const kept = form
      .text('allowedIpRanges')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const removed = current.allowedIpRanges.filter((range) => !kept.includes(range));
    if (removed.length === 0) return this.save(user, scope, actor, body);
    const sent = (name: string) =>
      body !== null && typeof body === 'object' && name in body ? form.text(name) : undefined;
    return htmlPage(
      renderPortalSettingsRangeConfirm({
        viewer: viewerOf(user),
        values: {
          notificationEmails: sent('notificationEmails'),
          allowedIpRanges: sent('allowedIpRanges'),
          handBackReminderDays: sent('handBackReminderDays'),
        },
        removed,
        kept,
      }),
    );
  }

  @Post()
  async save(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(body);
    const values: PortalSettingsFormValues = {
      notificationEmails: form.text('notificationEmails'),
      allowedIpRanges: form.text('allowedIpRanges'),
      handBackReminderDays: form.text('handBackReminderDays'),
    };
    // A form without the field (an older page, a script) keeps the current reminder days.
    const sentDays = body !== null && typeof body === 'object' && 'handBackReminderDays' in body;
    return submitForm({
      unplacedTo: 'allowedIpRanges',
      run: () =>
        this.settings.update(
          merchantScope,
          { ...values, handBackReminderDays: sentDays ? values.handBackReminderDays : undefined },
          actor,
        ),
      done: `${PORTAL_SETTINGS_PATH}?done=saved`,
      rerender: async ({ errors }) => {
        const current = await this.settings.get(merchantScope);
        return renderPortalSettings({
          viewer: viewerOf(user),
          merchantName: current.merchantName,
          values: sentDays
            ? values
            : { ...values, handBackReminderDays: String(current.handBackReminderDays) },
          currentIp: actor.ip,
          errors,
        });
      },
    });
  }
}
