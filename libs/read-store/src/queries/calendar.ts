import { addDays, invalid, isCalendarDate, shanghaiDate, type WorkingDayCalendar } from '@haitang/domain';

export { addDays };

/**
 * The reporting calendar (DESIGN §2): periods are Asia/Shanghai calendar
 * days and months; working days are those of a WorkingDayCalendar (Monday to
 * Friday with the State Council's holidays and 调休 working days; the site's
 * own holiday file adds later years).
 */

/** Records are due within this many working days after an activity ends. */
export const RECORDS_DUE_WORKING_DAYS = 10;

const DAY_MS = 24 * 60 * 60 * 1000;
const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The last day on which the records of an activity that ended on `endDate` are on time: its 10th working day after. */
export function recordsDueBy(endDate: string, calendar: WorkingDayCalendar): string {
  return calendar.dueBy(endDate, RECORDS_DUE_WORKING_DAYS);
}

/**
 * The latest end date that is overdue on `today`: an activity is overdue once
 * `today` is past its `recordsDueBy` day, so every end date up to this one is.
 * (`recordsDueBy` never decreases as the end date moves on, so one bound suffices.)
 */
export function latestOverdueEndDate(today: string, calendar: WorkingDayCalendar): string {
  let date = addDays(today, -1);
  while (recordsDueBy(date, calendar) >= today) date = addDays(date, -1);
  return date;
}

export function isOverdue(endDate: string, today: string, calendar: WorkingDayCalendar): boolean {
  return recordsDueBy(endDate, calendar) < today;
}

export function isPeriod(value: string): boolean {
  return PERIOD_PATTERN.test(value);
}

/** The current Asia/Shanghai month, YYYY-MM. */
export function shanghaiPeriod(now: Date): string {
  return shanghaiDate(now).slice(0, 7);
}

export interface DayRange {
  /** First day, YYYY-MM-DD (inclusive). */
  readonly from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  readonly to: string;
}

/** The days of a month YYYY-MM. */
export function monthRange(period: string): DayRange {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw invalid('period-invalid', '统计月份应写作 YYYY-MM，例如 2026-10。(period must be a month written YYYY-MM, e.g. 2026-10.)');
  const [year, month] = [Number(match[1]), Number(match[2])];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}

/** The months YYYY-MM from the month of `from` to the month of `to`, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const period = `${year}-${String(month).padStart(2, '0')}`;
    if (period > last) return months;
    months.push(period);
    if (++month > 12) [year, month] = [year + 1, 1];
  }
}

/** The UTC instants [start, end) that a range of Shanghai days covers, as ISO strings comparable to stored instants. */
export function instantsOf(range: DayRange): { start: string; end: string } {
  return {
    start: new Date(`${range.from}T00:00:00+08:00`).toISOString(),
    end: new Date(`${addDays(range.to, 1)}T00:00:00+08:00`).toISOString(),
  };
}

/** The longest range a report may span. */
export const MAX_REPORT_DAYS = 3660;

/** Checks a report's days: real dates, from ≤ to, at most ten years. Refusals are `invalid` with a code. */
export function checkDayRange(from: string, to: string): DayRange {
  if (!isCalendarDate(from)) throw invalid('from-invalid', '开始日期不是有效的日期（YYYY-MM-DD）。(from is not a valid date, YYYY-MM-DD.)');
  if (!isCalendarDate(to)) throw invalid('to-invalid', '结束日期不是有效的日期（YYYY-MM-DD）。(to is not a valid date, YYYY-MM-DD.)');
  if (from > to) throw invalid('range-reversed', '开始日期不能晚于结束日期。(from must not be after to.)');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_REPORT_DAYS) {
    throw invalid('range-too-long', '统计区间最长十年。(A report spans at most ten years.)');
  }
  return { from, to };
}
