import { ApiProperty } from '@nestjs/swagger';
import type { CallLogItem } from '@madoguchi/calls';
import type { Page } from '@madoguchi/tickets';
import { UserRefDto } from './ticket-response.dto';

const dateTime = { type: String, format: 'date-time' } as const;

/** A call-log row: no caller number (personal data). */
export class CallLogItemDto implements CallLogItem {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null until the caller chose a shop.' })
  merchantId: number | null;
  @ApiProperty({ type: String, nullable: true }) merchantName: string | null;
  @ApiProperty({ type: String, nullable: true }) ticketReference: string | null;
  @ApiProperty({ description: "Twilio's last call status." }) status: string;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty() callerIdWithheld: boolean;
  @ApiProperty({ type: Boolean, nullable: true }) withinHours: boolean | null;
  @ApiProperty({ ...dateTime, nullable: true }) startedAt: Date | null;
  @ApiProperty({ ...dateTime, nullable: true }) answeredAt: Date | null;
  @ApiProperty({ ...dateTime, nullable: true }) endedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true }) waitSeconds: number | null;
  @ApiProperty({ type: Number, nullable: true }) talkSeconds: number | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) agent: UserRefDto | null;
  @ApiProperty() hasRecording: boolean;
  @ApiProperty(dateTime) createdAt: Date;
}

export class CallLogPageDto implements Page<CallLogItem> {
  @ApiProperty({ type: [CallLogItemDto] }) items: CallLogItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
