import { ApiProperty } from '@nestjs/swagger';
import { ANSWER_PURPOSES, type AnswerPurpose } from '@madoguchi/incidents';
import {
  ATTACHMENT_CONTENT_TYPES,
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type CannedResponseView,
  type Page,
  type SlaState,
  type TicketCategory,
  type TicketChangeResult,
  type TicketChannel,
  type TicketDetail,
  type TicketListItem,
  type TicketMessageView,
  type TicketPriority,
  type TicketStatus,
} from '@madoguchi/tickets';
import { type FilledAnswer } from '@madoguchi/incident-response';

import { TicketDeterminationStateDto } from './determination.dto';
import { RequesterHistoryItemDto } from './requester-history.dto';

// Response shapes for OpenAPI only: controllers return the services' views, and `implements`
// keeps these classes in step with them. Dates leave as ISO 8601 strings.

const SLA_STATES: SlaState[] = ['breached', 'due_soon', 'on_track', 'none'];
const MESSAGE_KINDS = [
  'customer',
  'reply',
  'note',
  'system',
  'call',
  'merchant_query',
  'merchant_answer',
] as const;
const dateTime = { type: String, format: 'date-time' } as const;

export class UserRefDto {
  @ApiProperty() id: number;
  @ApiProperty() displayName: string;
}

export class TicketListItemDto implements TicketListItem {
  @ApiProperty({ example: 'K7QM-3XHD' }) reference: string;
  @ApiProperty() merchantId: number;
  @ApiProperty() merchantName: string;
  @ApiProperty({ type: String, nullable: true }) siteName: string | null;
  @ApiProperty() queueId: number;
  @ApiProperty({ enum: TICKET_CHANNELS }) channel: TicketChannel;
  @ApiProperty({ enum: TICKET_CATEGORY_KEYS }) category: TicketCategory;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority: TicketPriority;
  @ApiProperty({ type: UserRefDto, nullable: true }) assignee: UserRefDto | null;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty(dateTime) updatedAt: Date;
  @ApiProperty({
    ...dateTime,
    nullable: true,
    description: 'The next SLA deadline (business hours).',
  })
  slaDueAt: Date | null;
  @ApiProperty({ enum: SLA_STATES }) slaState: SlaState;
  @ApiProperty({ description: 'Send it back as `version` with a write (optimistic lock).' })
  version: number;
  @ApiProperty({
    required: false,
    description:
      'Issue 15: intake took it for a probable duplicate (same requester and site within 24 h).',
  })
  probableDuplicate?: boolean;
}

export class TicketPageDto implements Page<TicketListItem> {
  @ApiProperty({ type: [TicketListItemDto] }) items: TicketListItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class AttachmentInfoDto {
  @ApiProperty({ description: 'Download it at `GET /api/v1/attachments/{id}`.' }) id: number;
  @ApiProperty() messageId: number;
  @ApiProperty({
    example: '明細.png',
    description:
      'Sanitised: no path, no control or direction characters; the extension matches the type.',
  })
  filename: string;
  @ApiProperty({
    enum: ATTACHMENT_CONTENT_TYPES,
    description: 'Decided from the bytes when the file arrived, never from its name.',
  })
  contentType: string;
  @ApiProperty({ description: 'Bytes.' }) size: number;
}

export class TicketMessageDto implements TicketMessageView {
  @ApiProperty() id: number;
  @ApiProperty({
    enum: MESSAGE_KINDS,
    description: '`note`: internal, never shown to the end user.',
  })
  kind: TicketMessageView['kind'];
  @ApiProperty({ type: String, nullable: true, description: 'null once retention erased it.' })
  body: string | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) author: UserRefDto | null;
  @ApiProperty({ enum: ['queued', 'sent', 'failed'], nullable: true })
  deliveryState: TicketMessageView['deliveryState'];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'A reply that used an approved incident answer: the answer version id.',
  })
  answerVersionId: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'That answer version’s number (1, 2, …).',
  })
  answerVersion: number | null;
  @ApiProperty({
    enum: ['verbatim', 'edited'],
    nullable: true,
    description:
      'With `answerVersionId`: `verbatim` when the text sent equals the approved text filled in for the ticket (whitespace-normalised), `edited` when it is based on that version and was changed.',
  })
  answerProvenance: TicketMessageView['answerProvenance'];
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'A correction (a newer approved version sent to a receiver of an older one): the id of the reply it corrects.',
  })
  correctsMessageId: number | null;
  @ApiProperty({ type: [AttachmentInfoDto], description: 'The files on the message (no bytes).' })
  attachments: AttachmentInfoDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Issue 15: the message came with a merge from this ticket (reference), or null.',
  })
  mergedFrom: string | null;
  @ApiProperty(dateTime) createdAt: Date;
}

export class TicketIncidentDto {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
}

export class RequesterDto {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) orderNumber: string | null;
}

export class MerchantContactDto {
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ type: String, nullable: true }) text: string | null;
}

export class TicketDetailDto extends TicketListItemDto implements TicketDetail {
  @ApiProperty({ type: Number, nullable: true }) siteId: number | null;
  @ApiProperty({ type: RequesterDto }) requester: RequesterDto;
  @ApiProperty({ ...dateTime, nullable: true }) firstResponseDueAt: Date | null;
  @ApiProperty({ ...dateTime, nullable: true }) firstRespondedAt: Date | null;
  @ApiProperty({ ...dateTime, nullable: true }) resolutionDueAt: Date | null;
  @ApiProperty({ ...dateTime, nullable: true }) resolvedAt: Date | null;
  @ApiProperty({ ...dateTime, nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: MerchantContactDto }) merchantContact: MerchantContactDto;
  @ApiProperty({ type: [TicketMessageDto] }) messages: TicketMessageDto[];
  @ApiProperty({ enum: TICKET_STATUSES, isArray: true }) allowedStatuses: TicketStatus[];
  @ApiProperty({
    type: TicketIncidentDto,
    nullable: true,
    description: 'The incident the ticket is linked to (set at intake for affected merchants).',
  })
  incident: TicketIncidentDto | null;
  @ApiProperty({
    type: TicketDeterminationStateDto,
    description:
      'Whether the requester was on the leaked data, on what evidence (issue 13.1); leak answers need a matching current determination.',
  })
  determination: TicketDeterminationStateDto;
  @ApiProperty({
    type: [RequesterHistoryItemDto],
    description:
      "Issue 15: the requester's other tickets of the merchant (email or phone blind index) within the caller's scope, newest first (at most 20); part of the audited view.",
  })
  requesterHistory: RequesterHistoryItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The earlier ticket intake took this one for a probable duplicate of (same requester and site within 24 h).',
  })
  probableDuplicateOf: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The ticket this one was merged into: it is closed and read-only.',
  })
  mergedInto: string | null;
}

export class TicketChangeResultDto implements TicketChangeResult {
  @ApiProperty() reference: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @ApiProperty() version: number;
  @ApiProperty({ type: Number, nullable: true }) assigneeId: number | null;
}

export class CannedResponseDto implements CannedResponseView {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: global.' }) merchantId:
    number | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty(dateTime) updatedAt: Date;
}

export class RenderedCannedResponseDto {
  @ApiProperty({ description: 'The body with its placeholders filled for this ticket.' })
  body: string;
}

export class ApprovedAnswerDto implements FilledAnswer {
  @ApiProperty() templateId: number;
  @ApiProperty({ description: 'Send as `answerVersionId` with the reply.' }) versionId: number;
  @ApiProperty({ description: 'The version number within its template (1, 2, …).' })
  version: number;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ANSWER_PURPOSES }) purpose: AnswerPurpose;
  @ApiProperty({ description: 'The approved text with its placeholders unfilled.' }) body: string;
  @ApiProperty() incidentId: number;
  @ApiProperty({ description: 'The text with its placeholders filled for this ticket.' })
  filledBody: string;
}
