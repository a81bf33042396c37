import type { Call } from '../call/call.entity';

/** How a call ended for the log and statistics. */
export type CallOutcome =
  'answered' | 'abandoned' | 'voicemail' | 'out_of_hours' | 'busy' | 'failed' | 'no_answer';

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

/**
 * Whether a later piece of evidence may replace the outcome already logged. Null takes anything;
 * an out-of-hours call becomes a voicemail once recorded; a call logged abandoned when its status
 * completed becomes answered if the queue's "bridged" result arrives late. Nothing else changes.
 */
export function canReplaceOutcome(current: string | null, next: CallOutcome): boolean {
  if (current === null || current === next) return true;
  if (current === 'out_of_hours' && next === 'voicemail') return true;
  if (current === 'abandoned' && next === 'answered') return true;
  return false;
}

/** The outcome a terminal Twilio status implies, given what the row already knows. */
export function outcomeOfTerminalStatus(
  status: string,
  call: Pick<Call, 'answeredAt' | 'withinHours'>,
): CallOutcome | null {
  switch (status) {
    case 'busy':
      return 'busy';
    case 'failed':
      return 'failed';
    case 'no-answer':
      return 'no_answer';
    case 'canceled':
      // The caller hung up before anyone answered.
      return 'abandoned';
    case 'completed':
      if (call.answeredAt) return 'answered';
      if (call.withinHours === false) return 'out_of_hours';
      return 'abandoned';
    default:
      return null;
  }
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
