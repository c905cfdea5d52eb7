/** Star thresholds in hours (configuration: HAITANG_STAR_THRESHOLDS). */
export const STAR_THRESHOLDS = Symbol('StarThresholds');

/** The working-day calendar for "records due within 10 working days" (a WorkingDayCalendar; HAITANG_HOLIDAYS_FILE adds years). */
export const WORKING_DAYS = Symbol('WorkingDays');
