import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { NotFoundException } from '@madoguchi/common';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { MerchantProfileService, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { IncidentAnswerService } from '@madoguchi/incident-response';
import { CurrentScope, CurrentUser, hasPermission, RequirePermission, Roles } from '../../auth';
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
import { INCIDENTS_TEXTS } from './incidents.texts';
import { OUTDATED_PAGE_SIZE } from '../../admin/incidents/incidents.controller';
import { renderOutdatedReceivers } from '../../admin/incidents/outdated-receivers.view';
import {
  PORTAL_INCIDENTS_PATH,
  type PortalIncidentParams,
  renderPortalAnswerDiff,
  renderPortalApproveConfirm,
  renderPortalIncident,
  renderPortalIncidentList,
} from './incidents.view';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';

const NOTICES = INCIDENTS_TEXTS.notices;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/**
 * The incidents that affect the merchant and their answer templates: every version with the
 * merchant's own decision. A merchant_admin approves a version or asks for changes (with a
 * comment); a merchant_viewer reads. Another merchant's incident, template or version is 404.
 */
@ApiExcludeController()
@Controller('portal/incidents')
@Roles(...PORTAL_ROLES)
@RequirePermission('ticket.read')
export class PortalIncidentsController {
  constructor(
    private readonly incidents: IncidentService,
    private readonly templates: AnswerTemplateService,
    private readonly answers: IncidentAnswerService,
    private readonly merchants: MerchantProfileService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    return htmlPage(
      renderPortalIncidentList({
        viewer: viewerOf(user),
        merchantName: await this.merchants.name(merchantScope),
        incidents: await this.incidents.listForMerchant(merchantScope),
      }),
    );
  }

  @Get('templates/:templateId/outdated')
  async outdated(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('templateId', ID) templateId: number,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    merchantScopeOf(scope);
    const template = await this.answers.templateFor(scope, templateId);
    const page = await this.answers.listOutdatedReceivers(scope, templateId, {
      page: new FormValues(query).positiveInt('page') ?? 1,
      pageSize: OUTDATED_PAGE_SIZE,
    });
    return htmlPage(
      renderOutdatedReceivers({ viewer: viewerOf(user), template, page, area: 'portal' }),
    );
  }

  /**
   * Issue 13.2: the diff of one of the merchant's edited approved replies. It shows the text
   * sent to the end user, so it is an audited view of the ticket. Another merchant's message,
   * or one that is not an edited approved reply, is 404.
   */
  @Get('replies/:messageId/diff')
  async replyDiff(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('messageId', ID) messageId: number,
    @CurrentActor() actor: TicketActor,
  ): Promise<HtmlPage> {
    const diff = await this.answers.answerDiff(merchantScopeOf(scope), messageId, actor);
    return htmlPage(renderPortalAnswerDiff({ viewer: viewerOf(user), diff }));
  }

  @Get(':id')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(await this.page(user, scope, id, { notice: noticeFrom(NOTICES, done) }));
  }

  /**
   * The confirm step of an approval: the version's text and what approving does; it posts
   * decision=approved below. A version of another merchant's incident is 404; one this merchant
   * approved already has nothing to confirm (404 too).
   */
  @Get('versions/:versionId/decision/confirm')
  @RequirePermission('answer.approve')
  async confirmApproval(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('versionId', ID) versionId: number,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const incidentId = await this.templates.incidentIdOfVersion(versionId);
    // NotFound unless the incident affects this merchant.
    const incident = await this.incidents.getForMerchant(merchantScope, incidentId);
    const templates = await this.templates.listForMerchant(merchantScope, incidentId);
    const template = templates.find((t) => t.versions.some((v) => v.id === versionId));
    const version = template?.versions.find((v) => v.id === versionId);
    if (!template || !version || version.approvals[0]?.decision === 'approved') {
      throw new NotFoundException();
    }
    return htmlPage(
      renderPortalApproveConfirm({ viewer: viewerOf(user), incident, template, version }),
    );
  }

  /** Approve (`decision=approved`) or request changes (`decision=changes_requested`, comment). */
  @Post('versions/:versionId/decision')
  @RequirePermission('answer.approve')
  async decide(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('versionId', ID) versionId: number,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(body);
    const decision = form.text('decision');
    const comment = form.text('comment');
    return submitForm({
      run: async () => {
        await this.templates.decide(merchantScope, versionId, { decision, comment }, actor);
        return this.templates.incidentIdOfVersion(versionId);
      },
      done: (incidentId) => {
        const done = decision === 'approved' ? 'approved' : 'changesRequested';
        return `${PORTAL_INCIDENTS_PATH}/${incidentId}?done=${done}#version-${versionId}`;
      },
      rerender: async ({ message }) => {
        // The service found the version in this merchant's incidents before validating.
        const incidentId = await this.templates.incidentIdOfVersion(versionId);
        return this.page(user, scope, incidentId, {
          failed: { versionId, comment, error: message },
        });
      },
    });
  }

  private async page(
    user: AuthenticatedUser,
    scope: TenantScope,
    id: number,
    extra: Pick<PortalIncidentParams, 'failed' | 'notice'>,
  ): Promise<string> {
    const merchantScope = merchantScopeOf(scope);
    // NotFound unless the incident affects this merchant.
    const incident = await this.incidents.getForMerchant(merchantScope, id);
    const templates = await this.templates.listForMerchant(merchantScope, id);
    const provenance = await this.answers.provenanceForMerchant(merchantScope, id);
    const sample = await this.merchants.sampleNames(merchantScope);
    return renderPortalIncident({
      viewer: viewerOf(user),
      incident,
      noticeDate: incident.noticeDate,
      templates,
      canDecide: hasPermission(user.role, 'answer.approve'),
      provenance,
      sample,
      ...extra,
    });
  }
}
