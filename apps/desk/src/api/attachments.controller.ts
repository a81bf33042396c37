import { Controller, Get, Param, ParseIntPipe, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ATTACHMENT_CONTENT_TYPES, AttachmentService, sendAttachment } from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, RequirePermission } from '../auth';
import { ApiReadErrors } from './api-docs.decorator';
import { ErrorResponseDto } from './dto/error-response.dto';

/**
 * `/api/v1/attachments/{id}`: one file of a ticket's message, for whoever may read that ticket.
 * The console links here too. Always a download (Content-Disposition: attachment, nosniff, a
 * sandbox CSP), never shown inline; each download is audited (`attachment.viewed`).
 */
@ApiTags('tickets')
@ApiReadErrors()
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentService) {}

  @Get(':id')
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary: 'Download an attachment of a ticket in your scope (an audited view)',
    description:
      'The ids are listed per message in `GET /api/v1/tickets/{reference}` (`attachments`). ' +
      'The body is the stored bytes (image metadata was stripped when the file arrived), sent ' +
      'with `Content-Disposition: attachment` (RFC 5987 `filename*`), ' +
      '`X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox` and ' +
      '`Cache-Control: no-store`. Merchant users get no file of an internal note.',
  })
  @ApiParam({ name: 'id', example: 42, description: "The attachment's id." })
  @ApiProduces(...ATTACHMENT_CONTENT_TYPES)
  @ApiOkResponse({
    description: 'The file.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown attachment, or one of a ticket outside your scope (never 403).',
  })
  async download(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.attachments.openInScope(scope, id, actor);
    sendAttachment(reply, file);
  }
}
