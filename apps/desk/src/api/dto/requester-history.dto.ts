import { ApiProperty } from '@nestjs/swagger';
import {
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type RequesterHistoryItem,
  type RequesterMatch,
  type TicketCategory,
  type TicketChannel,
  type TicketStatus,
} from '@madoguchi/tickets';

const dateTime = { type: String, format: 'date-time' } as const;

/** Issue 15: one of the requester's other tickets (no personal data). */
export class RequesterHistoryItemDto implements RequesterHistoryItem {
  @ApiProperty({ example: 'K7QM-3XHD' }) reference: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @ApiProperty({ enum: TICKET_CATEGORY_KEYS }) category: TicketCategory;
  @ApiProperty({ enum: TICKET_CHANNELS }) channel: TicketChannel;
  @ApiProperty({ type: String, nullable: true }) siteName: string | null;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty({
    enum: ['email', 'phone'],
    isArray: true,
    description: 'What it shares with the ticket: the email blind index, the phone one, or both.',
  })
  matchedBy: RequesterMatch[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The ticket it was merged into (reference), or null.',
  })
  mergedInto: string | null;
}
