import { isCalendarDate, MINUTE_MS, shanghaiDate, toIso, wholeMinutesBetween } from '../src';

describe('shanghaiDate', () => {
  it('is the UTC date during the Shanghai daytime', () => {
    expect(shanghaiDate('2026-03-10T02:00:00Z')).toBe('2026-03-10');
  });

  it('moves to the next day at 16:00 UTC (Shanghai midnight)', () => {
    expect(shanghaiDate('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(shanghaiDate('2026-03-01T16:00:00.000Z')).toBe('2026-03-02');
    expect(shanghaiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
  });

  it('crosses month and year ends', () => {
    expect(shanghaiDate('2026-02-28T16:00:00Z')).toBe('2026-03-01');
    expect(shanghaiDate('2025-12-31T20:00:00Z')).toBe('2026-01-01');
  });

  it('reads offsets written in the instant', () => {
    expect(shanghaiDate('2026-03-02T00:30:00+08:00')).toBe('2026-03-02');
    expect(shanghaiDate('2026-03-01T23:30:00-05:00')).toBe('2026-03-02');
  });

  it('accepts a Date and a string for the same instant alike', () => {
    expect(shanghaiDate(new Date('2024-02-28T17:00:00Z'))).toBe('2024-02-29');
    expect(shanghaiDate('2024-02-28T17:00:00Z')).toBe('2024-02-29');
  });
});

describe('isCalendarDate', () => {
  it.each(['2026-03-01', '2024-02-29', '2000-01-01', '2026-12-31'])('accepts %p', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    '2026-02-29', // not a leap year
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-3-1',
    '26-03-01',
    '20260301',
    '2026/03/01',
    '2026-03-01T00:00:00Z',
    ' 2026-03-01',
    '',
  ])('refuses %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('wholeMinutesBetween', () => {
  it('counts whole minutes, rounding down', () => {
    expect(wholeMinutesBetween('2026-03-10T01:00:00Z', '2026-03-10T03:00:00Z')).toBe(120);
    expect(wholeMinutesBetween('2026-03-10T01:00:00Z', '2026-03-10T01:59:59.999Z')).toBe(59);
    expect(wholeMinutesBetween('2026-03-10T01:00:30Z', '2026-03-10T01:01:29Z')).toBe(0);
  });

  it('takes Dates as well as strings', () => {
    expect(wholeMinutesBetween(new Date('2026-03-10T01:00:00Z'), new Date('2026-03-10T01:45:00Z'))).toBe(45);
  });

  it('is never negative', () => {
    expect(wholeMinutesBetween('2026-03-10T03:00:00Z', '2026-03-10T01:00:00Z')).toBe(0);
  });

  it('uses a 60 000 ms minute', () => {
    expect(MINUTE_MS).toBe(60_000);
  });
});

describe('toIso', () => {
  it('normalises an instant with an offset to UTC with milliseconds', () => {
    expect(toIso('2026-03-10T09:00:00+08:00')).toBe('2026-03-10T01:00:00.000Z');
    expect(toIso(new Date(Date.UTC(2026, 2, 10, 1, 2, 3, 4)))).toBe('2026-03-10T01:02:03.004Z');
  });
});

describe('isCalendarDate agrees with the calendar', () => {
  it('for every YYYY-MM-DD string over four centuries of years and every month/day number up to 39', () => {
    const byDate = (value: string) => {
      const parsed = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    let checked = 0;
    for (const year of [0, 1, 4, 100, 1600, 1900, 2000, 2023, 2024, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 39; day++) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect([value, isCalendarDate(value)]).toEqual([value, byDate(value)]);
          checked++;
        }
      }
    }
    expect(checked).toBe(12 * 14 * 40);
  });
});
