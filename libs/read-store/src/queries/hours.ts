/**
 * Hours are only ever shown, never summed: they are computed from whole
 * minutes, rounded to one decimal (half up), with integer arithmetic.
 */
export function tenthsOfHour(minutes: number): number {
  return Math.floor((minutes * 10 + 30) / 60);
}

/** Hours with one decimal as a number, e.g. 0.8 for 45 minutes. */
export function hoursOf(minutes: number): number {
  return tenthsOfHour(minutes) / 10;
}

/** Hours with one decimal as text, e.g. "0.8" for 45 minutes (no float formatting involved). */
export function formatHours(minutes: number): string {
  const tenths = tenthsOfHour(minutes);
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(tenths);
  return `${sign}${Math.floor(abs / 10)}.${abs % 10}`;
}
