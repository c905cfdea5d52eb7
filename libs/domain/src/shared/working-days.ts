import { isCalendarDate } from './time';

/**
 * Working days for the rule "records are due within 10 working days after an
 * activity" (DESIGN §2). A working day is Monday to Friday, except the days
 * off of the State Council's holiday schedule for that year (放假), plus the
 * weekend days it makes working days (调休上班).
 *
 * The State Council publishes each year's schedule in November of the year
 * before. The years below are built in; later years (and local days off) come from
 * the site's own file (HAITANG_HOLIDAYS_FILE, see parseHolidaySchedules). A
 * year that neither knows counts Monday to Friday, and says so
 * (WorkingDayCalendar.covers).
 */
export interface HolidaySchedule {
  /** Days off: single days or ranges, both ends included. */
  readonly daysOff: readonly (string | readonly [from: string, to: string])[];
  /** Weekend days that are working days (调休上班). */
  readonly workdays: readonly string[];
}

/**
 * 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）和
 * 关于2026年部分节假日安排的通知（2025-11-04）.
 */
export const STATE_COUNCIL_SCHEDULES: Readonly<Record<number, HolidaySchedule>> = {
  2025: {
    daysOff: [
      '2025-01-01', ['2025-01-28', '2025-02-04'], ['2025-04-04', '2025-04-06'], ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'], ['2025-10-01', '2025-10-08'],
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    daysOff: [
      ['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07'],
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar day `days` after (or before, when negative) `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const isWeekday = (date: string): boolean => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/** Every day off of a schedule, its ranges spelled out. */
function daysOffOf(schedule: HolidaySchedule): Set<string> {
  const days = new Set<string>();
  for (const entry of schedule.daysOff) {
    const [from, to] = typeof entry === 'string' ? [entry, entry] : entry;
    for (let day = from; day <= to; day = addDays(day, 1)) days.add(day);
  }
  return days;
}

export class WorkingDayCalendar {
  private readonly daysOff = new Set<string>();
  private readonly workdays = new Set<string>();
  /** The years whose schedule is known, ascending. */
  readonly years: readonly number[];

  /** `schedules` by year (parseHolidaySchedules adds a site's file to the built-in ones). */
  constructor(schedules: Readonly<Record<number, HolidaySchedule>> = STATE_COUNCIL_SCHEDULES) {
    this.years = Object.keys(schedules).map(Number).sort((a, b) => a - b);
    for (const year of this.years) {
      for (const day of daysOffOf(schedules[year])) this.daysOff.add(day);
      for (const day of schedules[year].workdays) this.workdays.add(day);
    }
  }

  /** Whether the State Council's schedule of that year is known (otherwise it counts Monday to Friday). */
  covers(year: number): boolean {
    return this.years.includes(year);
  }

  /**
   * The years a records due date counted from `today` (YYYY-MM-DD) may fall in whose schedule is
   * unknown: this year's, and in December next year's too.
   */
  missingYears(today: string): number[] {
    const year = Number(today.slice(0, 4));
    return (today.slice(5, 7) === '12' ? [year, year + 1] : [year]).filter((y) => !this.covers(y));
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    return !this.daysOff.has(date) && isWeekday(date);
  }

  /** The last day on which the records of an activity that ended on `endDate` are on time: its `count`th working day after. */
  dueBy(endDate: string, count: number): string {
    let date = endDate;
    for (let counted = 0; counted < count;) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) counted++;
    }
    return date;
  }
}

/** The built-in calendar: the State Council's schedules above. */
export const CHINA_WORKING_DAYS = new WorkingDayCalendar();

/**
 * The site's holiday file (HAITANG_HOLIDAYS_FILE), as JSON text, added to the
 * built-in years: `{ "2027": { "daysOff": ["2027-01-01", ["2027-02-05", "2027-02-13"]], "workdays": ["2027-02-20"] } }`.
 * A year the calendar already knows gets the file's days as well (a local day
 * off, say); nothing built in is taken away. Refuses anything else with a
 * message that names the entry: a date that is not in its year, a range that
 * ends before it starts, a working day that is not a Saturday or Sunday (调休
 * makes weekend days working days), a day both off and working, a field it does
 * not know.
 */
export function parseHolidaySchedules(text: string, source = 'the holiday file'): Record<number, HolidaySchedule> {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}. Expected {"2027": {"daysOff": ["2027-01-01", ["2027-02-05", "2027-02-13"]], "workdays": ["2027-02-20"]}}.`);
  };
  let parsed: unknown;
  try {
    // A file saved by Windows Notepad starts with a byte-order mark.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('not a JSON object of years');
  const schedules: Record<number, HolidaySchedule> = { ...STATE_COUNCIL_SCHEDULES };
  for (const [key, value] of Object.entries(parsed)) {
    if (!/^(19|20)\d\d$/.test(key)) fail(`"${key}" is not a year`);
    const year = Number(key);
    const inYear = (day: unknown, where: string): string => {
      if (typeof day !== 'string' || !isCalendarDate(day)) return fail(`${where}: ${JSON.stringify(day)} is not a date YYYY-MM-DD`);
      if (!day.startsWith(`${key}-`)) fail(`${where}: ${day} is not in ${key}`);
      return day;
    };
    const entry = value as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.daysOff) || !Array.isArray(entry.workdays)) {
      fail(`${key} needs "daysOff" and "workdays" lists`);
    }
    const unknown = Object.keys(entry!).find((field) => field !== 'daysOff' && field !== 'workdays');
    if (unknown !== undefined) fail(`${key}.${unknown} is not a field of a year (only "daysOff" and "workdays")`);
    const daysOff = (entry!.daysOff as unknown[]).map((day, i): string | [string, string] => {
      if (!Array.isArray(day)) return inYear(day, `${key}.daysOff[${i}]`);
      if (day.length !== 2) return fail(`${key}.daysOff[${i}] is a range of ${day.length} dates, not 2`);
      const range: [string, string] = [inYear(day[0], `${key}.daysOff[${i}]`), inYear(day[1], `${key}.daysOff[${i}]`)];
      if (range[0] > range[1]) fail(`${key}.daysOff[${i}] ends before it starts`);
      return range;
    });
    const workdays = (entry!.workdays as unknown[]).map((day, i) => {
      const date = inYear(day, `${key}.workdays[${i}]`);
      if (isWeekday(date)) fail(`${key}.workdays[${i}]: ${date} is a weekday, always a working day unless it is off (list only the Saturdays and Sundays 调休 makes working days)`);
      return date;
    });
    const built = schedules[year];
    schedules[year] = built ? { daysOff: [...built.daysOff, ...daysOff], workdays: [...built.workdays, ...workdays] } : { daysOff, workdays };
    const off = daysOffOf(schedules[year]);
    const both = schedules[year].workdays.find((day) => off.has(day));
    if (both !== undefined) fail(`${key}: ${both} is both a day off and a working day`);
  }
  return schedules;
}
