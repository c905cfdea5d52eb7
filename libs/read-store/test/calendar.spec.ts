import fc from 'fast-check';
import {
  addDays, checkDayRange, formatHours, hoursOf, instantsOf, isOverdue, latestOverdueEndDate, monthRange, monthsBetween, recordsDueBy,
} from '../src';

describe('reporting calendar (Asia/Shanghai, Mon–Fri working days)', () => {
  it('records are due by the 10th working day after the activity ended', () => {
    // 2026-10-02 is a Friday: two full weeks later, Friday 2026-10-16.
    expect(recordsDueBy('2026-10-02')).toBe('2026-10-16');
    // Ended on a Saturday: the count starts on Monday.
    expect(recordsDueBy('2026-10-03')).toBe('2026-10-16');
    // Ended on a Wednesday: Thu, Fri, then 8 more.
    expect(recordsDueBy('2026-11-04')).toBe('2026-11-18');
    // 调休 is not modelled: the National Day week counts as working days.
    expect(recordsDueBy('2026-09-30')).toBe('2026-10-14');
  });

  it('an activity is overdue from the day after its due day, weekends included', () => {
    expect(isOverdue('2026-10-02', '2026-10-16')).toBe(false);
    expect(isOverdue('2026-10-02', '2026-10-17')).toBe(true);
    expect(latestOverdueEndDate('2026-10-17')).toBe('2026-10-04');
    expect(latestOverdueEndDate('2026-10-19')).toBe('2026-10-04');
    expect(latestOverdueEndDate('2026-10-20')).toBe('2026-10-05');
  });

  it('latestOverdueEndDate agrees with isOverdue for any end day and any today', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
    fc.assert(fc.property(day, fc.integer({ min: 0, max: 60 }), (end, after) => {
      const today = addDays(end, after);
      expect(isOverdue(end, today)).toBe(end <= latestOverdueEndDate(today));
    }), { numRuns: 500 });
  });

  it('months, ranges and the instants they cover', () => {
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(() => monthRange('2026-13')).toThrow(expect.objectContaining({ code: 'period-invalid' }));
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(instantsOf({ from: '2026-10-01', to: '2026-10-31' })).toEqual({ start: '2026-09-30T16:00:00.000Z', end: '2026-10-31T16:00:00.000Z' });
    expect(checkDayRange('2026-01-01', '2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(() => checkDayRange('2026-12-31', '2026-01-01')).toThrow(expect.objectContaining({ code: 'range-reversed' }));
    expect(() => checkDayRange('2026-02-30', '2026-03-01')).toThrow(expect.objectContaining({ code: 'from-invalid' }));
    expect(() => checkDayRange('2000-01-01', '2026-03-01')).toThrow(expect.objectContaining({ code: 'range-too-long' }));
  });

  it('hours are computed from whole minutes with one decimal, half up, without float formatting', () => {
    expect([0, 3, 45, 59, 60, 89, 90, 6281].map(formatHours)).toEqual(['0.0', '0.1', '0.8', '1.0', '1.0', '1.5', '1.5', '104.7']);
    expect(hoursOf(2924)).toBe(48.7);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (m) => {
      expect(Math.abs(Number(formatHours(m)) - m / 60)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(hoursOf(m)).toBe(Number(formatHours(m)));
    }));
  });
});
