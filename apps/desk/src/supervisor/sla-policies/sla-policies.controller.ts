import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { SlaPolicyService } from '@madoguchi/tickets';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  seeOtherTo,
  submitForm,
  viewerOf,
} from '../../web';
import { AuditLabelsService } from '../audit/audit-labels.service';
import { SLA_POLICIES_TEXTS } from './sla-policies.texts';
import {
  renderSlaPoliciesPage,
  SLA_POLICIES_PATH,
  SLA_POLICY_FIELDS,
  type SlaPolicyFormValues,
} from './sla-policies.view';

/** The merchants' SLA policies (issue 15): set by supervisors and admins, audited by the service. */
@ApiExcludeController()
@Controller('supervisor/sla-policies')
@RequirePermission('setup.manage')
export class SlaPoliciesController {
  constructor(
    private readonly policies: SlaPolicyService,
    private readonly labels: AuditLabelsService,
  ) {}

  @Get()
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderSlaPoliciesPage({
        viewer: viewerOf(user),
        policies: await this.policies.list(scope),
        merchants: await this.labels.merchants(),
        notice: noticeFrom(SLA_POLICIES_TEXTS.notices, done),
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
    const form = new FormValues(body);
    const values = Object.fromEntries(
      SLA_POLICY_FIELDS.map((field) => [field, form.text(field)]),
    ) as SlaPolicyFormValues;
    return submitForm({
      fields: SLA_POLICY_FIELDS,
      unplacedTo: 'priority',
      run: () => this.policies.save(scope, values, actor),
      done: `${SLA_POLICIES_PATH}?done=saved`,
      rerender: async ({ errors }) =>
        renderSlaPoliciesPage({
          viewer: viewerOf(user),
          policies: await this.policies.list(scope),
          merchants: await this.labels.merchants(),
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
    await this.policies.remove(scope, id, actor);
    return seeOtherTo(`${SLA_POLICIES_PATH}?done=deleted`);
  }
}
