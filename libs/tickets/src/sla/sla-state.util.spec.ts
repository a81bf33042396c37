import { BusinessCalendar } from '@madoguchi/calendar';
import { dueSoonThreshold, nextSlaDueAt, slaStateOf } from './sla-state.util';

const tokyo = (local: string) => new Date(`${local}+09:00`);
const calendar = new BusinessCalendar();

describe('slaStateOf', () => {
  it('should be none without a deadline', () => {
    expect(
      slaStateOf({ slaDueAt: null, status: 'open' }, tokyo('2026-03-02T10:00:00'), calendar),
    ).toBe('none');
  });

  it('should be none for a resolved ticket even if a deadline was left behind', () => {
    expect(
      slaStateOf(
        { slaDueAt: tokyo('2026-03-02T09:00:00'), status: 'resolved' },
        tokyo('2026-03-02T10:00:00'),
        calendar,
      ),
    ).toBe('none');
  });

  it('should be breached at the due instant and after it', () => {
    const due = tokyo('2026-03-02T15:00:00');
    expect(slaStateOf({ slaDueAt: due, status: 'open' }, due, calendar)).toBe('breached');
    expect(
      slaStateOf({ slaDueAt: due, status: 'open' }, tokyo('2026-03-03T11:00:00'), calendar),
    ).toBe('breached');
  });

  it('should be due soon with less than two business hours left on the same day', () => {
    const now = tokyo('2026-03-02T13:00:00'); // Monday
    expect(
      slaStateOf({ slaDueAt: tokyo('2026-03-02T14:59:59'), status: 'open' }, now, calendar),
    ).toBe('due_soon');
    expect(
      slaStateOf({ slaDueAt: tokyo('2026-03-02T15:00:00'), status: 'open' }, now, calendar),
    ).toBe('on_track');
  });

  it('should count only business hours across a weekend', () => {
    const friday = tokyo('2026-03-06T17:00:00');
    // 1 h on Friday + 0.5 h on Monday morning.
    expect(
      slaStateOf(
        { slaDueAt: tokyo('2026-03-09T10:30:00'), status: 'pending_customer' },
        friday,
        calendar,
      ),
    ).toBe('due_soon');
    // 1 h + 1.5 h.
    expect(
      slaStateOf(
        { slaDueAt: tokyo('2026-03-09T11:30:00'), status: 'pending_customer' },
        friday,
        calendar,
      ),
    ).toBe('on_track');
  });

  it('should skip national and substitute holidays (Golden Week 2026)', () => {
    expect(calendar.isBusinessDay('2026-05-06')).toBe(false); // 振替休日
    const friday = tokyo('2026-05-01T17:30:00');
    // 0.5 h on 5/1, then closed until Thursday 5/7: 1 h more is 1.5 h.
    expect(
      slaStateOf({ slaDueAt: tokyo('2026-05-07T11:00:00'), status: 'open' }, friday, calendar),
    ).toBe('due_soon');
    expect(
      slaStateOf({ slaDueAt: tokyo('2026-05-07T12:00:00'), status: 'open' }, friday, calendar),
    ).toBe('on_track');
  });

  it('should agree with the SQL threshold used for queue counts', () => {
    const now = tokyo('2026-03-06T17:00:00');
    const threshold = dueSoonThreshold(now, calendar);
    expect(threshold).toEqual(tokyo('2026-03-09T11:00:00'));
    expect(
      slaStateOf({ slaDueAt: new Date(threshold.getTime() - 1), status: 'open' }, now, calendar),
    ).toBe('due_soon');
    expect(slaStateOf({ slaDueAt: threshold, status: 'open' }, now, calendar)).toBe('on_track');
  });
});

describe('nextSlaDueAt', () => {
  const dues = {
    firstResponseDueAt: tokyo('2026-03-03T10:00:00'),
    resolutionDueAt: tokyo('2026-03-09T10:00:00'),
  };

  it('should be the first-response due until the first reply', () => {
    expect(nextSlaDueAt({ ...dues, status: 'new', firstRespondedAt: null })).toEqual(
      dues.firstResponseDueAt,
    );
  });

  it('should be the resolution due after the first reply', () => {
    expect(
      nextSlaDueAt({
        ...dues,
        status: 'pending_customer',
        firstRespondedAt: tokyo('2026-03-02T11:00:00'),
      }),
    ).toEqual(dues.resolutionDueAt);
  });

  it.each(['resolved', 'closed', 'handed_back'] as const)('should be null when %s', (status) => {
    expect(nextSlaDueAt({ ...dues, status, firstRespondedAt: null })).toBeNull();
  });
});
