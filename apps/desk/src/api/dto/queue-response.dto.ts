import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { TICKET_STATUSES, type QueueSummary, type TicketStatus } from '@madoguchi/tickets';

const countsOf = (keys: readonly string[], description: string): ApiPropertyOptions => ({
  type: 'object',
  properties: Object.fromEntries(keys.map((key) => [key, { type: 'integer' }])),
  required: [...keys],
  description,
});

export class QueueSummaryDto implements QueueSummary {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() merchantId: number;
  @ApiProperty() merchantName: string;
  @ApiProperty(countsOf(TICKET_STATUSES, 'Tickets per status (every status present).'))
  countsByStatus: Record<TicketStatus, number>;
  @ApiProperty(countsOf(['breached', 'due_soon', 'on_track'], 'Active tickets by SLA state.'))
  countsBySla: QueueSummary['countsBySla'];
  @ApiProperty({ description: 'Active tickets nobody holds.' }) unassigned: number;
}
