import {
  nextStatus,
  type OutcomeFacts,
  outcomeOfCall,
  outcomeOfQueueResult,
  talkSecondsOf,
} from './call-state.util';

const LIVE: OutcomeFacts = {
  recordingSid: null,
  answeredAt: null,
  withinHours: null,
  status: 'ringing',
  queueResult: null,
  callbackRequestedAt: null,
};

describe('call state rules', () => {
  it('should never replace a terminal status, whatever comes later', () => {
    expect(nextStatus('completed', 'ringing')).toBe('completed');
    expect(nextStatus('completed', 'in-progress')).toBe('completed');
    expect(nextStatus('busy', 'completed')).toBe('busy');
  });

  it('should not go back from in-progress or enqueued to an earlier live state', () => {
    expect(nextStatus('in-progress', 'ringing')).toBe('in-progress');
    expect(nextStatus('enqueued', 'in-progress')).toBe('enqueued');
    expect(nextStatus('ringing', 'in-progress')).toBe('in-progress');
    expect(nextStatus('enqueued', 'completed')).toBe('completed');
  });

  it('should derive the outcome from the whole row, whatever arrived first', () => {
    expect(outcomeOfCall(LIVE)).toBeNull();
    expect(outcomeOfCall({ ...LIVE, withinHours: true, status: 'enqueued' })).toBeNull();
    expect(outcomeOfCall({ ...LIVE, withinHours: false })).toBe('out_of_hours');
    // completed before incoming: abandoned only until the hours are known.
    expect(outcomeOfCall({ ...LIVE, status: 'completed' })).toBe('abandoned');
    expect(outcomeOfCall({ ...LIVE, status: 'completed', withinHours: false })).toBe(
      'out_of_hours',
    );
    expect(outcomeOfCall({ ...LIVE, status: 'completed', withinHours: true })).toBe('abandoned');
    expect(outcomeOfCall({ ...LIVE, status: 'canceled', withinHours: true })).toBe('abandoned');
    const recorded = { ...LIVE, recordingSid: `RE${'0'.repeat(32)}` };
    expect(outcomeOfCall({ ...recorded, status: 'completed' })).toBe('voicemail');
    expect(outcomeOfCall({ ...recorded, withinHours: false })).toBe('voicemail');
    const answered = { ...LIVE, withinHours: true, answeredAt: new Date() };
    expect(outcomeOfCall({ ...answered, status: 'completed', queueResult: 'hangup' })).toBe(
      'answered',
    );
    expect(outcomeOfCall({ ...LIVE, withinHours: true, queueResult: 'bridged' })).toBe('answered');
    const requested = { ...LIVE, withinHours: true, callbackRequestedAt: new Date() };
    expect(outcomeOfCall({ ...requested, queueResult: 'leave', status: 'completed' })).toBe(
      'callback_requested',
    );
  });

  it('should map terminal statuses and queue results to outcomes', () => {
    const inHours = { ...LIVE, withinHours: true };
    expect(outcomeOfCall({ ...inHours, status: 'busy' })).toBe('busy');
    expect(outcomeOfCall({ ...inHours, status: 'failed' })).toBe('failed');
    expect(outcomeOfCall({ ...inHours, status: 'no-answer' })).toBe('no_answer');
    expect(outcomeOfCall({ ...LIVE, status: 'no-answer' })).toBe('no_answer');
    expect(outcomeOfCall({ ...inHours, queueResult: 'hangup' })).toBe('abandoned');
    expect(outcomeOfCall({ ...inHours, queueResult: 'system-error', status: 'completed' })).toBe(
      'failed',
    );
    expect(outcomeOfCall({ ...inHours, queueResult: 'redirected', status: 'completed' })).toBe(
      'abandoned',
    );
    expect(outcomeOfQueueResult('bridged')).toBe('answered');
    expect(outcomeOfQueueResult('hangup')).toBe('abandoned');
    expect(outcomeOfQueueResult('redirected')).toBeNull();
  });

  it('should count talk time from the answer to the end, never negative', () => {
    expect(talkSecondsOf(new Date('2026-11-27T01:00:00Z'), new Date('2026-11-27T01:02:05Z'))).toBe(
      125,
    );
    expect(talkSecondsOf(new Date('2026-11-27T01:00:05Z'), new Date('2026-11-27T01:00:00Z'))).toBe(
      0,
    );
    expect(talkSecondsOf(null, new Date())).toBeNull();
  });
});
