import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { formatText } from '@madoguchi/ui';
import {
  AFFECTED_LIST_MAX_BYTES,
  AFFECTED_LIST_MAX_ROWS,
  AFFECTED_LIST_MODES,
  AffectedListFileError,
  type AffectedListMode,
  AffectedListService,
} from '@madoguchi/incident-response';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import {
  CsrfInMultipartParts,
  CurrentScope,
  CurrentUser,
  type MultipartLimits,
  RequirePermission,
  Roles,
} from '../../auth';
import { readMultipartForm } from '../../auth/multipart-upload.hook';
import { CurrentActor, type HtmlPage, htmlPage, sendWebResponse, viewerOf } from '../../web';
import {
  type AffectedListRefusal,
  renderPortalAffectedList,
  renderPortalAffectedLists,
} from './affected-list.view';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';
import { AFFECTED_LIST_TEXTS } from './affected-list.texts';

const L = AFFECTED_LIST_TEXTS;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** One list file and the mode (and `_csrf`); a larger file is a 413 at once. */
const UPLOAD_LIMITS: MultipartLimits = {
  files: 1,
  fileBytes: AFFECTED_LIST_MAX_BYTES,
  fields: 4,
  fieldBytes: 1024,
  overLimit: 'refuse',
};

function refusalOf(error: AffectedListFileError): AffectedListRefusal {
  const message = formatText(L.fileErrors[error.code], {
    maxMb: AFFECTED_LIST_MAX_BYTES / (1024 * 1024),
    maxRows: AFFECTED_LIST_MAX_ROWS.toLocaleString('ja-JP'),
    column: error.detail.column ? L.columnNames[error.detail.column] : '',
  });
  return { message, rejections: error.detail.rejections?.slice(0, 1000) };
}

/**
 * The merchant admin's affected-customer lists, one per incident the merchant is involved in:
 * upload (multipart, replace or add; the report comes back on the page, 200, or 400 with
 * nothing changed) and the list of uploads. Another merchant's incident is 404.
 */
@ApiExcludeController()
@Controller('portal/affected-lists')
@Roles(...PORTAL_ROLES)
@RequirePermission('affected_list.manage')
export class PortalAffectedListController {
  constructor(private readonly lists: AffectedListService) {}

  @Get()
  async index(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
  ): Promise<HtmlPage> {
    const incidents = await this.lists.incidents(merchantScopeOf(scope));
    return htmlPage(renderPortalAffectedLists({ viewer: viewerOf(user), incidents }));
  }

  @Get(':incidentId')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('incidentId', ID) incidentId: number,
  ): Promise<HtmlPage> {
    return this.page(200, user, scope, incidentId, {});
  }

  @Post(':incidentId')
  @CsrfInMultipartParts(UPLOAD_LIMITS)
  async upload(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('incidentId', ID) incidentId: number,
    @CurrentActor() actor: TicketActor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantScope = merchantScopeOf(scope);
    // Another merchant's incident is 404 before the file is even looked at (or read).
    await this.lists.incident(merchantScope, incidentId);
    // The parts are read only now, after the guards; the leading _csrf before the file.
    const { fields, files } = await readMultipartForm(request, reply, user.csrfToken);
    const file = files[0] ?? null;
    const modeValue = fields.mode ?? '';
    const mode = (AFFECTED_LIST_MODES as readonly string[]).includes(modeValue)
      ? (modeValue as AffectedListMode)
      : null;
    if (mode === null || file === null || file.bytes.length === 0) {
      const message = mode === null ? L.fileErrors.bad_mode : L.fileErrors.no_file;
      sendWebResponse(
        reply,
        await this.page(400, user, scope, incidentId, {
          mode: mode ?? undefined,
          refusal: { message },
        }),
      );
      return;
    }
    try {
      const report = await this.lists.upload(merchantScope, incidentId, actor, {
        mode,
        file: file.bytes,
      });
      sendWebResponse(reply, await this.page(200, user, scope, incidentId, { mode, report }));
    } catch (error) {
      if (!(error instanceof AffectedListFileError)) throw error;
      sendWebResponse(
        reply,
        await this.page(400, user, scope, incidentId, { mode, refusal: refusalOf(error) }),
      );
    }
  }

  private async page(
    status: number,
    user: AuthenticatedUser,
    scope: TenantScope,
    incidentId: number,
    extra: Pick<Parameters<typeof renderPortalAffectedList>[0], 'mode' | 'report' | 'refusal'>,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const [incident, uploads] = await Promise.all([
      this.lists.incident(merchantScope, incidentId),
      this.lists.uploads(merchantScope, incidentId),
    ]);
    return htmlPage(
      renderPortalAffectedList({ viewer: viewerOf(user), incident, uploads, ...extra }),
      status,
    );
  }
}
