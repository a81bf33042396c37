import type { TicketCategory } from '@madoguchi/tickets';

/** An open ticket of the caller, found through the phone blind index (no personal data). */
export interface CallerTicket {
  reference: string;
  merchantId: number;
  status: string;
  category: string;
  merchantName: string | null;
}

/** A caller waiting in the window's queue, as the console lists it (no number). */
export interface WaitingCall {
  id: number;
  /** 1 = the next call an agent takes (Twilio's queue is first in, first out). */
  position: number;
  enqueuedAt: Date;
  waitSeconds: number;
  merchantName: string | null;
  siteName: string | null;
  callerIdWithheld: boolean;
  openTickets: CallerTicket[];
}

/** A missed call or voicemail still to call back. */
export interface CallbackItem {
  id: number;
  outcome: string | null;
  startedAt: Date | null;
  waitSeconds: number | null;
  merchantId: number | null;
  merchantName: string | null;
  siteName: string | null;
  callerIdWithheld: boolean;
  ticketReference: string | null;
  recordingSid: string | null;
  recordingUrl: string | null;
  recordingSeconds: number | null;
  /** The recording is kept in the desk (played from there, deleted at Twilio). */
  recordingStored: boolean;
  openTickets: CallerTicket[];
  /** The caller pressed the callback key of the overflow offer. */
  callbackRequested: boolean;
  /** The agent who took the callback, if any. */
  callbackClaimedBy: { id: number; displayName: string } | null;
  callbackAttempts: number;
  /** The last attempt's outcome: reached, no_answer, message_left. */
  callbackOutcome: string | null;
  callbackAttemptedAt: Date | null;
}

/** One call for its page: times, tags, recording, and what the wrap-up form offers. */
export interface CallDetail extends CallbackItem {
  status: string;
  withinHours: boolean | null;
  enqueuedAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  talkSeconds: number | null;
  siteId: number | null;
  agent: { id: number; displayName: string } | null;
  callbackDoneAt: Date | null;
  /** Decrypted caller number (an audited view, call.viewed); null when withheld. */
  callerNumber: string | null;
  /** The same in Japan's domestic format (03-1234-5678), for display beside a tel: link. */
  callerNumberDomestic: string | null;
  /** The last callback attempt's note (sealed at rest; opened with the audited view). */
  callbackNote: string | null;
  /** A to-do entry (missed or voicemail) not yet done. */
  isCallbackOpen: boolean;
  /** Merchants whose queues the viewer works: the wrap-up's choices. */
  merchants: { id: number; name: string }[];
}

export type WrapUpMode = 'create' | 'link';

export interface WrapUpInput {
  mode: WrapUpMode;
  summary: string;
  merchantId: number;
  category: TicketCategory;
  /** mode link: the ticket's reference. */
  reference?: string;
  /** mode create: the caller's name, if given. */
  requesterName?: string;
}

export interface WrapUpResult {
  callId: number;
  reference: string;
  created: boolean;
  /** The call was linked to another ticket before (a relink). */
  previousReference: string | null;
}
