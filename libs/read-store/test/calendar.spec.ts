import fc from 'fast-check';
import { CHINA_WORKING_DAYS, parseHolidaySchedules, WorkingDayCalendar } from '@haitang/domain';
import {
  addDays, checkDayRange, formatHours, hoursOf, instantsOf, isOverdue, latestOverdueEndDate, monthRange, monthsBetween, recordsDueBy,
} from '../src';

describe('reporting calendar (Asia/Shanghai; working days with the State Council holiday schedule)', () => {
  const mondayToFriday = new WorkingDayCalendar({});

  it('records are due by the 10th working day after the activity ended', () => {
    // Ended on a Wednesday in an ordinary month: Thu, Fri, then 8 more.
    expect(recordsDueBy('2026-11-04', CHINA_WORKING_DAYS)).toBe('2026-11-18');
    // 国庆 2026: 1–7 October off, Saturday 10 October a working day (调休). From Friday 2 October:
    // 8, 9, 10 (Sat), 12–16, 19, 20.
    expect(recordsDueBy('2026-10-02', CHINA_WORKING_DAYS)).toBe('2026-10-20');
    expect(recordsDueBy('2026-10-03', CHINA_WORKING_DAYS)).toBe('2026-10-20');
    expect(recordsDueBy('2026-09-30', CHINA_WORKING_DAYS)).toBe('2026-10-20');
    // Counting Monday to Friday only, as before the schedules were known, it was 14 October: six days early.
    expect(recordsDueBy('2026-09-30', mondayToFriday)).toBe('2026-10-14');
    // Sunday 20 September 2026 is a working day; 中秋 25–27 September and 国庆 are not.
    expect(recordsDueBy('2026-09-18', CHINA_WORKING_DAYS)).toBe('2026-10-09');
    // 春节 2026: 15–23 February off, Saturdays 14 and 28 February working days.
    expect(recordsDueBy('2026-02-13', CHINA_WORKING_DAYS)).toBe('2026-03-05');
    // 2025: 国庆 and 中秋 together, 1–8 October; Sunday 28 September and Saturday 11 October working days.
    expect(recordsDueBy('2025-09-30', CHINA_WORKING_DAYS)).toBe('2025-10-21');
    expect(recordsDueBy('2025-09-26', CHINA_WORKING_DAYS)).toBe('2025-10-16');
  });

  it('an activity is overdue from the day after its due day, weekends included', () => {
    expect(isOverdue('2026-10-02', '2026-10-20', CHINA_WORKING_DAYS)).toBe(false);
    expect(isOverdue('2026-10-02', '2026-10-21', CHINA_WORKING_DAYS)).toBe(true);
    expect(isOverdue('2026-10-02', '2026-10-17', mondayToFriday)).toBe(true);
    // Every activity that ended 30 September to 7 October is due on 20 October; 29 September's on the 19th.
    expect(latestOverdueEndDate('2026-10-20', CHINA_WORKING_DAYS)).toBe('2026-09-29');
    expect(latestOverdueEndDate('2026-10-21', CHINA_WORKING_DAYS)).toBe('2026-10-07');
    expect(latestOverdueEndDate('2026-11-19', CHINA_WORKING_DAYS)).toBe('2026-11-04');
    expect(latestOverdueEndDate('2026-10-17', mondayToFriday)).toBe('2026-10-04');
  });

  it('a site\'s holiday file adds a year, or local days off to a known one, and is checked entry by entry', () => {
    const file = JSON.stringify({ 2027: { daysOff: ['2027-01-01', ['2027-02-05', '2027-02-13']], workdays: ['2027-02-20'] }, 2026: { daysOff: ['2026-03-05'], workdays: [] } });
    // Saved by Notepad: a byte-order mark first.
    const calendar = new WorkingDayCalendar(parseHolidaySchedules(`\uFEFF${file}`));
    expect(calendar.years).toEqual([2025, 2026, 2027]);
    // Thursday 31 December 2026: 1 January off, then 4–8, 11–15.
    expect(recordsDueBy('2026-12-31', calendar)).toBe('2027-01-15');
    // Thursday 4 February 2027: 5–13 off, then 15–19, Saturday 20 (a working day), 22–25.
    expect(recordsDueBy('2027-02-04', calendar)).toBe('2027-02-25');
    // 2026 keeps its built-in holidays, and gains Thursday 5 March: from Monday 2 March, 3, 4, 6, 9–13, 16, 17
    // (without it: 3–6, 9–13, 16).
    expect(recordsDueBy('2026-09-30', calendar)).toBe('2026-10-20');
    expect(recordsDueBy('2026-03-02', calendar)).toBe('2026-03-17');
    expect(recordsDueBy('2026-03-02', CHINA_WORKING_DAYS)).toBe('2026-03-16');
    expect(CHINA_WORKING_DAYS.covers(2027)).toBe(false);
    expect(calendar.covers(2027)).toBe(true);
    // At start Haitang warns about a year it does not know: this year's, and in December next year's.
    expect(CHINA_WORKING_DAYS.missingYears('2026-11-27')).toEqual([]);
    expect(CHINA_WORKING_DAYS.missingYears('2026-12-01')).toEqual([2027]);
    expect(CHINA_WORKING_DAYS.missingYears('2028-06-01')).toEqual([2028]);
    expect(calendar.missingYears('2026-12-01')).toEqual([]);
    for (const [text, mistake] of [
      ['not json', 'not JSON'],
      ['[]', 'not a JSON object of years'],
      ['{"27": {"daysOff": [], "workdays": []}}', '"27" is not a year'],
      ['{"2027": {"daysOff": []}}', '2027 needs "daysOff" and "workdays" lists'],
      ['{"2027": {"daysOff": [], "workdays": [], "dayOff": ["2027-03-01"]}}', '2027.dayOff is not a field of a year'],
      ['{"2027": {"daysOff": ["2027-02-30"], "workdays": []}}', '2027.daysOff[0]: "2027-02-30" is not a date'],
      ['{"2027": {"daysOff": [["2027-02-13", "2027-02-05"]], "workdays": []}}', '2027.daysOff[0] ends before it starts'],
      ['{"2027": {"daysOff": [], "workdays": ["2026-12-26"]}}', '2027.workdays[0]: 2026-12-26 is not in 2027'],
      // A typo for Saturday 20 February: a Friday is a working day anyway.
      ['{"2027": {"daysOff": [], "workdays": ["2027-02-19"]}}', '2027.workdays[0]: 2027-02-19 is a weekday'],
      ['{"2027": {"daysOff": [["2027-02-13", "2027-02-21"]], "workdays": ["2027-02-20"]}}', '2027: 2027-02-20 is both a day off and a working day'],
      // Saturday 3 October 2026 is in the built-in 国庆 holiday.
      ['{"2026": {"daysOff": [], "workdays": ["2026-10-03"]}}', '2026: 2026-10-03 is both a day off and a working day'],
    ]) {
      expect(() => parseHolidaySchedules(text, 'holidays.json')).toThrow(`holidays.json: ${mistake}`);
    }
  });

  it('latestOverdueEndDate agrees with isOverdue for any end day and any today', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
    fc.assert(fc.property(day, fc.integer({ min: 0, max: 60 }), (end, after) => {
      const today = addDays(end, after);
      expect(isOverdue(end, today, CHINA_WORKING_DAYS)).toBe(end <= latestOverdueEndDate(today, CHINA_WORKING_DAYS));
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
