import type { AnswerPurpose } from '@madoguchi/incidents';
import type { UserRole } from '@madoguchi/auth';
import type { MerchantStatsDay, SlaFigure } from '@madoguchi/reporting';
import type { TokyoDateRange } from '@madoguchi/common';
import type { TicketCategory, TicketChannel } from '@madoguchi/tickets';

/** Paths an approved answer reaches a shopper by. */
export const ANSWER_SEND_PATHS = ['agent', 'bulk', 'status_page'] as const;
export type AnswerSendPath = (typeof ANSWER_SEND_PATHS)[number];

/** What the top of every report says (the incident's own texts: never personal data). */
export interface IncidentReportHeader {
  incidentId: number;
  title: string;
  description: string;
  leakedItems: string;
  occurredFrom: Date | null;
  occurredTo: Date | null;
  /** When the incident was recorded in the desk. */
  recordedAt: Date;
  period: TokyoDateRange;
  generatedAt: Date;
}

export interface IncidentReportInquiries {
  total: number;
  byCategory: Record<TicketCategory, number>;
  byChannel: Record<TicketChannel, number>;
  /** Every Tokyo day of the period, in order, zero days included. */
  days: MerchantStatsDay[];
  /** By the tickets' state now. */
  open: number;
  resolved: number;
  handedBack: number;
}

export interface IncidentReportCalls {
  total: number;
  /** Outcome → calls; `in_progress` for a call without a final outcome. */
  byOutcome: Record<string, number>;
  /** Of those, calls linked to a ticket of this incident. */
  linkedToIncident: number;
}

export interface IncidentReportAffectedList {
  /** Values on the list now, by column (blind indexes counted; never read back). */
  values: { email: number; phone: number; order: number; total: number };
  uploads: number;
  lastUploadAt: Date | null;
  /** Rows the list holds now: rows that added a value, since (and including) the last replace. */
  rows: number;
  /** Rows refused in those same uploads (bad format), for the record. */
  rowsRejected: number;
}

export interface IncidentReportVerifications {
  /** One-time codes mailed. */
  codesSent: number;
  /** Codes entered correctly (each spent once). */
  verified: number;
  /** Codes killed by too many wrong entries. */
  failed: number;
  /** Codes never used: expired, or replaced by a newer code. */
  expired: number;
  /** Codes still usable now. */
  pending: number;
  /** Wrong entries over all codes. */
  wrongEntries: number;
  /** Tickets with at least one verified code. */
  ticketsVerified: number;
  /** What verified shoppers were shown. */
  outcomes: { included: number; not_included: number; undetermined: number };
}

export interface IncidentReportAnswerRow {
  purpose: AnswerPurpose;
  byPath: Record<AnswerSendPath, number>;
  total: number;
  /** Of the replies (agent and bulk): sent as the approved text, or edited (issue 13.2). */
  verbatim: number;
  edited: number;
}

/** Current determinations of the incident's tickets (issue 13.1), by outcome and evidence. */
export interface IncidentReportDeterminations {
  included: { verifiedEmail: number; agent: number; total: number };
  notIncluded: { verifiedEmail: number; agent: number; total: number };
  /** Current determinations waiting for an agent's review (they allow no leak answer). */
  reviewFlagged: number;
  /** Earlier determinations a newer one replaced (kept as history). */
  superseded: number;
}

/** Questions the desk asked the merchant on the incident's tickets, and the merchant's answers. */
export interface IncidentReportMerchantQuestions {
  asked: number;
  answered: number;
}

/** The public incident page of the merchant's sites in the period (issue 13.6). */
export interface IncidentReportFaq {
  views: number;
  /** Inquiries sent from the form reached through the page's link. */
  inquiriesAfter: number;
}

export interface IncidentReportTemplateRow {
  templateId: number;
  title: string;
  purpose: AnswerPurpose;
  /** The newest version the merchant approved; null: none approved. */
  versionInUse: number | null;
  /** Versions the merchant approved that a newer approval replaced. */
  supersededVersions: number;
  /** Tickets whose newest reply from this template used an older version than the one in use. */
  outdatedReceivers: number;
}

export interface IncidentReportCorrections {
  templates: IncidentReportTemplateRow[];
  supersededVersions: number;
  outdatedReceivers: number;
  /** Bulk sends with the `outdated_receivers` selection (the correction). */
  correctionRuns: number;
  correctionsSent: number;
  correctionsSkipped: number;
  correctionsPending: number;
  /** Replies sent as a correction of an earlier reply (agent or bulk; 【訂正】 in the subject). */
  correctionReplies: number;
}

export interface IncidentReportHandBacks {
  /** Tickets handed back to the merchant at least once (ticket.handed_back in the audit trail). */
  handedBack: number;
  /** Tickets whose state is handed_back now. */
  stillHandedBack: number;
  /** Handed-back tickets the merchant marked answered in the portal. */
  answered: number;
  /** Handed-back tickets the merchant was reminded of. */
  reminded: number;
}

export interface IncidentReportAccessRow {
  userId: number;
  name: string;
  role: UserRole | null;
  /**
   * Openings of the incident's tickets (ticket.viewed, handback.contact_viewed) and of calls
   * linked to them (call.viewed).
   */
  views: number;
  /** Distinct tickets opened. */
  ticketsViewed: number;
  /** The merchant's case exports (export.cases) in the period. */
  exports: number;
}

export interface IncidentReportAccess {
  users: IncidentReportAccessRow[];
  views: number;
  exports: number;
}

/** One merchant's figures for one incident. Aggregates only. */
export interface IncidentReportFigures {
  inquiries: IncidentReportInquiries;
  calls: IncidentReportCalls;
  affectedList: IncidentReportAffectedList;
  verifications: IncidentReportVerifications;
  determinations: IncidentReportDeterminations;
  answersSent: IncidentReportAnswerRow[];
  corrections: IncidentReportCorrections;
  handBacks: IncidentReportHandBacks;
  merchantQuestions: IncidentReportMerchantQuestions;
  faq: IncidentReportFaq;
  sla: { firstResponse: SlaFigure; resolution: SlaFigure };
  /** null: the reader may not read the audit trail (permission audit.read). */
  access: IncidentReportAccess | null;
}

export interface IncidentReportSection extends IncidentReportFigures {
  merchantId: number;
  merchantName: string;
  merchantCode: string;
  /** The merchant's notice to its customers (Tokyo date), null if none recorded. */
  noticeDate: string | null;
}

export interface IncidentReport {
  header: IncidentReportHeader;
  /** One section per affected merchant in the report (one for a merchant's own report). */
  sections: IncidentReportSection[];
  /** Sum over the sections; null for a single merchant's report. */
  total: IncidentReportFigures | null;
}

export interface IncidentReportOptions {
  /** Include "who accessed personal data" (the reader holds audit.read). */
  includeAccess: boolean;
}
