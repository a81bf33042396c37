import { ValidationFailedException, resolveTokyoRange } from '@madoguchi/common';
import { summariseTickets, type MerchantStatsRow } from './merchant-stats.service';

const NOW = new Date('2025-04-10T03:00:00Z');

function row(overrides: Partial<MerchantStatsRow>): MerchantStatsRow {
  return {
    createdAt: new Date('2025-04-01T01:00:00Z'),
    category: 'leak_check',
    channel: 'web',
    status: 'new',
    firstResponseDueAt: null,
    firstRespondedAt: null,
    resolutionDueAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

describe('summariseTickets', () => {
  it('should bucket tickets by Tokyo day, category and channel', () => {
    const stats = summariseTickets(
      [
        // 2025-04-01 23:30 Tokyo
        row({ createdAt: new Date('2025-04-01T14:30:00Z'), channel: 'phone' }),
        // 2025-04-02 00:30 Tokyo: the next Tokyo day, though the same UTC day
        row({ createdAt: new Date('2025-04-01T15:30:00Z'), category: 'payment' }),
      ],
      { from: '2025-04-01', to: '2025-04-03' },
      NOW,
    );
    expect(stats.days.map((d) => [d.date, d.total])).toEqual([
      ['2025-04-01', 1],
      ['2025-04-02', 1],
      ['2025-04-03', 0],
    ]);
    expect(stats.days[0].byChannel.phone).toBe(1);
    expect(stats.days[1].byCategory.payment).toBe(1);
    expect(stats.byCategory).toMatchObject({ leak_check: 1, payment: 1, other: 0 });
  });

  it('should count a merged ticket as merged, never as resolved (issue 15)', () => {
    const stats = summariseTickets(
      [
        row({ status: 'closed', resolvedAt: new Date('2025-04-02T01:00:00Z') }),
        row({ status: 'resolved', resolvedAt: new Date('2025-04-02T01:00:00Z') }),
        row({ status: 'closed', mergedIntoId: 42 }),
        row({ status: 'open' }),
      ],
      { from: '2025-04-01', to: '2025-04-03' },
      NOW,
    );
    expect({ resolved: stats.resolved, merged: stats.merged, open: stats.open }).toEqual({
      resolved: 2,
      merged: 1,
      open: 1,
    });
    expect(stats.total).toBe(4);
  });

  it('should count met, missed and pending against the deadlines and take the median', () => {
    const created = new Date('2025-04-01T00:00:00Z');
    const at = (h: number) => new Date(created.getTime() + h * 3_600_000);
    const stats = summariseTickets(
      [
        row({
          createdAt: created,
          status: 'open',
          firstResponseDueAt: at(8),
          firstRespondedAt: at(2),
        }),
        row({
          createdAt: created,
          status: 'open',
          firstResponseDueAt: at(8),
          firstRespondedAt: at(8),
        }),
        row({
          createdAt: created,
          status: 'open',
          firstResponseDueAt: at(8),
          firstRespondedAt: at(10),
        }),
        // overdue without a reply: missed
        row({ createdAt: created, status: 'new', firstResponseDueAt: at(8) }),
        // not yet due: pending
        row({
          createdAt: created,
          status: 'new',
          firstResponseDueAt: new Date(NOW.getTime() + 1000),
        }),
      ],
      { from: '2025-04-01', to: '2025-04-01' },
      NOW,
    );
    expect(stats.firstResponse).toEqual({
      met: 2,
      missed: 2,
      pending: 1,
      shareWithinTarget: 0.5,
      medianHours: 8,
    });
    expect(stats.resolution.shareWithinTarget).toBeNull();
    expect(stats.open).toBe(5);
  });
});

describe('resolveTokyoRange', () => {
  const options = { defaultDays: 30, maxDays: 92 };

  it('should default to the last 30 Tokyo days', () => {
    expect(resolveTokyoRange({}, options, NOW)).toEqual({ from: '2025-03-12', to: '2025-04-10' });
  });

  it('should refuse more than the maximum, a reversed range and bad dates', () => {
    const tooLong = (() => {
      try {
        resolveTokyoRange({ from: '2025-01-01', to: '2025-04-03' }, options, NOW);
      } catch (error) {
        return error as ValidationFailedException;
      }
    })();
    expect(tooLong).toBeInstanceOf(ValidationFailedException);
    expect(tooLong?.fieldErrors[0].message).toContain('92日以内');
    expect(() =>
      resolveTokyoRange({ from: '2025-04-02', to: '2025-04-01' }, options, NOW),
    ).toThrow();
    expect(() => resolveTokyoRange({ from: '2025-02-30' }, options, NOW)).toThrow();
  });
});
