import {
  canReplaceOutcome,
  nextStatus,
  outcomeOfQueueResult,
  outcomeOfTerminalStatus,
  talkSecondsOf,
} from './call-state.util';

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

  it('should let an out-of-hours call become a voicemail and a late bridge turn abandoned into answered', () => {
    expect(canReplaceOutcome(null, 'busy')).toBe(true);
    expect(canReplaceOutcome('out_of_hours', 'voicemail')).toBe(true);
    expect(canReplaceOutcome('abandoned', 'answered')).toBe(true);
    expect(canReplaceOutcome('answered', 'abandoned')).toBe(false);
    expect(canReplaceOutcome('voicemail', 'out_of_hours')).toBe(false);
    expect(canReplaceOutcome('answered', 'voicemail')).toBe(false);
  });

  it('should map terminal statuses and queue results to outcomes', () => {
    const unanswered = { answeredAt: null, withinHours: true };
    expect(outcomeOfTerminalStatus('no-answer', unanswered)).toBe('no_answer');
    expect(outcomeOfTerminalStatus('canceled', unanswered)).toBe('abandoned');
    expect(outcomeOfTerminalStatus('completed', unanswered)).toBe('abandoned');
    expect(
      outcomeOfTerminalStatus('completed', { answeredAt: new Date(), withinHours: true }),
    ).toBe('answered');
    expect(outcomeOfTerminalStatus('completed', { answeredAt: null, withinHours: false })).toBe(
      'out_of_hours',
    );
    expect(outcomeOfTerminalStatus('ringing', unanswered)).toBeNull();
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
