import type { Call } from '../call/call.entity';

/** How a call ended for the log and statistics. */
export type CallOutcome =
  | 'answered'
  | 'abandoned'
  | 'voicemail'
  | 'callback_requested'
  | 'out_of_hours'
  | 'busy'
  | 'failed'
  | 'no_answer';

/** Our own status while the caller waits in the window's queue (Twilio says in-progress). */
export const ENQUEUED_STATUS = 'enqueued';

const TERMINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const STATUS_RANK: Record<string, number> = {
  queued: 0,
  initiated: 0,
  ringing: 1,
  'in-progress': 2,
  [ENQUEUED_STATUS]: 3,
};

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

/**
 * The status after a new report: a terminal state is never replaced, and a live state never
 * goes back (ringing after in-progress, or Twilio's in-progress over our enqueued). Leaving the
 * queue is the one step down, and it is explicit: {@link statusAfterQueue}.
 */
export function nextStatus(current: string, reported: string): string {
  if (isTerminalStatus(current)) return current;
  if (isTerminalStatus(reported)) return reported;
  return (STATUS_RANK[reported] ?? 0) >= (STATUS_RANK[current] ?? 0) ? reported : current;
}

export function statusAfterQueue(current: string): string {
  return current === ENQUEUED_STATUS ? 'in-progress' : current;
}

/** What the outcome is derived from: the row as it stands after a callback's patch. */
export type OutcomeFacts = Pick<
  Call,
  'recordingSid' | 'answeredAt' | 'withinHours' | 'status' | 'queueResult' | 'callbackRequestedAt'
>;

/**
 * The outcome of a call as a function of the whole row, so the order in which Twilio's callbacks
 * arrive cannot change it: a recording makes a voicemail; an answer (agent bridged, or the
 * queue's "bridged" result) makes it answered; the callback key of the overflow offer makes it
 * callback_requested; a call that came in out of hours stays
 * out_of_hours; busy, failed and no-answer are their own outcomes; a queue that ended in a hangup
 * (or error) says abandoned (or failed); a completed or canceled call nobody answered, in hours or
 * with the hours still unknown (its incoming request not seen yet), is abandoned. Every fact only
 * ever gets added to the row, so an outcome only moves forward; null while the call is live.
 */
export function outcomeOfCall(call: OutcomeFacts): CallOutcome | null {
  const queueOutcome = call.queueResult === null ? null : outcomeOfQueueResult(call.queueResult);
  if (call.recordingSid !== null) return 'voicemail';
  if (call.answeredAt !== null || queueOutcome === 'answered') return 'answered';
  if (call.callbackRequestedAt != null) return 'callback_requested';
  if (call.withinHours === false) return 'out_of_hours';
  switch (call.status) {
    case 'busy':
      return 'busy';
    case 'failed':
      return 'failed';
    case 'no-answer':
      return 'no_answer';
  }
  if (queueOutcome !== null) return queueOutcome;
  if (call.status === 'completed' || call.status === 'canceled') return 'abandoned';
  return null;
}

/** Twilio's QueueResult as an outcome: null when the call left the queue for another reason. */
export function outcomeOfQueueResult(queueResult: string): CallOutcome | null {
  switch (queueResult) {
    case 'bridged':
    case 'bridging-in-process':
      return 'answered';
    case 'hangup':
    case 'queue-full':
      return 'abandoned';
    case 'error':
    case 'system-error':
      return 'failed';
    default:
      // redirected, leave: the call went on elsewhere in TwiML; its status callback decides.
      return null;
  }
}

/** Talk time once both ends are known: from the agent's answer to the end of the call. */
export function talkSecondsOf(answeredAt: Date | null, endedAt: Date | null): number | null {
  if (!answeredAt || !endedAt) return null;
  return Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000));
}
