import { percentile, summarise } from './call-stats.service';

describe('call statistics', () => {
  it('should take the nearest-rank 90th percentile', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.9)).toBeNull();
  });

  it('should bucket by Tokyo hour whatever the server zone and rate answered against abandoned', () => {
    const stats = summarise(
      [
        { startedAt: new Date('2026-12-01T00:59:59Z'), outcome: 'answered', waitSeconds: 30 },
        { startedAt: new Date('2026-12-01T09:00:00Z'), outcome: 'abandoned', waitSeconds: 90 },
        { startedAt: new Date('2026-12-01T15:00:00Z'), outcome: 'voicemail', waitSeconds: null },
      ],
      { from: '2026-12-01', to: '2026-12-01', merchantId: null },
    );
    expect(stats.callsPerHour[9]).toBe(1);
    expect(stats.callsPerHour[18]).toBe(1);
    expect(stats.callsPerHour[0]).toBe(1);
    expect(stats.answerRate).toBe(0.5);
    expect(stats.averageWaitSeconds).toBe(30);
  });

  it('should count callback requests and overflow voicemails as not answered (issue 15)', () => {
    const at = new Date('2026-12-01T03:00:00Z');
    const stats = summarise(
      [
        { startedAt: at, outcome: 'answered', waitSeconds: 30 },
        { startedAt: at, outcome: 'callback_requested', waitSeconds: 200 },
        { startedAt: at, outcome: 'voicemail', waitSeconds: 190, overflowOfferedAt: at },
        // An out-of-hours voicemail never waited for an agent: not in the rate.
        { startedAt: at, outcome: 'voicemail', waitSeconds: null, overflowOfferedAt: null },
      ],
      { from: '2026-12-01', to: '2026-12-01', merchantId: null },
    );
    expect(stats.notAnswered).toBe(2);
    expect(stats.answerRate).toBeCloseTo(1 / 3);
    expect(stats.byOutcome.callback_requested).toBe(1);
  });
});
