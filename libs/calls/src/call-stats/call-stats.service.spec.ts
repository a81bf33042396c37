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
});
