/** A row of the call log as the desk lists it: times and outcome, no caller number (personal data). */
export interface CallLogItem {
  id: number;
  merchantId: number | null;
  merchantName: string | null;
  /** The ticket the call was linked to, if any. */
  ticketReference: string | null;
  status: string;
  outcome: string | null;
  callerIdWithheld: boolean;
  withinHours: boolean | null;
  startedAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  agent: { id: number; displayName: string } | null;
  hasRecording: boolean;
  createdAt: Date;
}

/** A call linked to one ticket, as the merchant portal's case page lists it. */
export interface TicketCallItem {
  id: number;
  startedAt: Date | null;
  outcome: string | null;
  talkSeconds: number | null;
  agentName: string | null;
}
