import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PRESENCE_STATES, type PresenceState } from '@madoguchi/tickets';

export class PresenceHeartbeatDto {
  @ApiProperty({
    enum: PRESENCE_STATES,
    description: '`viewing` while the page is open, `writing` while a reply or note is typed.',
  })
  @IsIn(PRESENCE_STATES, { message: 'viewing か writing を指定してください。' })
  state: PresenceState;
}

export class PresenceViewDto {
  @ApiProperty() userId: number;
  @ApiProperty({ example: '山田 花子' }) displayName: string;
  @ApiProperty({ enum: PRESENCE_STATES }) state: PresenceState;
  @ApiProperty({ type: String, format: 'date-time' }) lastSeenAt: Date;
}

export class TicketLiveStateDto {
  @ApiProperty({ example: 'K7P3-M9QX' }) reference: string;
  @ApiProperty({ description: 'The ticket version now (a form with an older one gets 409).' })
  version: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The newest message id: a page that shows an older one fetches the conversation.',
  })
  lastMessageId: number | null;
  @ApiProperty({
    type: [PresenceViewDto],
    description: 'Colleagues on the ticket within the last 30 s (not the caller).',
  })
  others: PresenceViewDto[];
}

export class TicketPresenceItemDto {
  @ApiProperty() reference: string;
  @ApiProperty({ type: [PresenceViewDto] }) others: PresenceViewDto[];
}
