import { Test } from '@nestjs/testing';
import { BusinessCalendar } from './business-calendar';
import { CalendarModule } from './calendar.module';

describe('CalendarModule', () => {
  it('should provide a calendar without closures by default', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CalendarModule] }).compile();
    const calendar = moduleRef.get(BusinessCalendar);
    expect(calendar).toBeInstanceOf(BusinessCalendar);
    expect(calendar.closures.size).toBe(0);
    expect(calendar.isBusinessDay('2026-12-29')).toBe(true);
  });

  it('should provide the closures given to forRoot', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CalendarModule.forRoot(['2026-12-29', '2026-12-30'])],
    }).compile();
    const calendar = moduleRef.get(BusinessCalendar);
    expect([...calendar.closures]).toEqual(['2026-12-29', '2026-12-30']);
    expect(calendar.closedReason('2026-12-29')).toBe('closure');
  });

  it('should take an options object and swap closures without touching the hours', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CalendarModule.forRoot({ closures: ['2026-12-31'] })],
    }).compile();
    const calendar = moduleRef.get(BusinessCalendar);
    expect(calendar.isOpenAt(new Date('2026-12-31T03:00:00Z'))).toBe(false);

    calendar.replaceClosures(['2026-12-30']);

    expect(calendar.isOpenAt(new Date('2026-12-31T03:00:00Z'))).toBe(true);
    expect(calendar.isOpenAt(new Date('2026-12-30T03:00:00Z'))).toBe(false);
  });

  it('should keep the old closures when a replacement holds a bad date', () => {
    const calendar = new BusinessCalendar({ closures: ['2026-12-31'] });
    expect(() => calendar.replaceClosures(['2026-12-30', '2026-13-01'])).toThrow(RangeError);
    expect([...calendar.closures]).toEqual(['2026-12-31']);
  });
});
