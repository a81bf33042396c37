import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, ValidationFailedException } from '@madoguchi/common';
import { InquiryService, validateInquiryInput } from '@madoguchi/tickets';
import { IntakeClosedException, IntakeSiteService } from '../web/intake-site.service';
import { toFieldErrors } from './issue-messages';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The JSON intake API: `POST /api/v1/sites/{site}/inquiries` → 201 `{ reference, statusUrl }`. */
@Controller('api/v1/sites')
export class InquiryApiController {
  constructor(
    private readonly sites: IntakeSiteService,
    private readonly inquiries: InquiryService,
  ) {}

  @Post(':site/inquiries')
  @HttpCode(201)
  async create(
    @Param('site') slug: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ reference: string; statusUrl: string } | object> {
    let target;
    try {
      target = await this.sites.findOpen(slug);
    } catch (error) {
      if (!(error instanceof IntakeClosedException)) throw error;
      reply.status(410);
      return {
        statusCode: 410,
        code: ErrorCode.IntakeClosed,
        message:
          error.reason === 'closed'
            ? 'この窓口での受付は終了しました。ショップの窓口へお問い合わせください。'
            : '対応期間が終了しました。ショップの窓口へお問い合わせください。',
        contact: { url: error.target.site.contactUrl, text: error.target.site.contactText },
      };
    }
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationFailedException([
        {
          field: 'Idempotency-Key',
          message: 'Idempotency-Key は1〜255文字の英数字・記号で指定してください。',
        },
      ]);
    }
    const validation = validateInquiryInput(body);
    if (!validation.ok) throw new ValidationFailedException(toFieldErrors(validation.issues));
    const result = await this.inquiries.submit(target, validation.value, {
      ip: request.ip,
      idempotency: idempotencyKey === undefined ? undefined : { key: idempotencyKey, body },
    });
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return { reference: result.reference, statusUrl: result.statusUrl };
  }
}
