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
});
