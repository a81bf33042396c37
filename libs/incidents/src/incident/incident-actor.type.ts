/** Who acts, for audit and authorship (the same shape as the tickets' TicketActor). */
export interface IncidentActor {
  userId: number;
  ip: string | null;
}
