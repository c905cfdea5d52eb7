/**
 * Calendar helpers. Reporting periods use the Asia/Shanghai calendar (UTC+8, no
 * daylight saving); instants are stored as ISO-8601 UTC strings.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const MINUTE_MS = 60_000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(instant: Date | string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** Whole minutes between two instants, rounded down, never negative. */
export function wholeMinutesBetween(from: Date | string, to: Date | string): number {
  const a = typeof from === 'string' ? Date.parse(from) : from.getTime();
  const b = typeof to === 'string' ? Date.parse(to) : to.getTime();
  return Math.max(0, Math.floor((b - a) / MINUTE_MS));
}

export function toIso(instant: Date | string): string {
  return (typeof instant === 'string' ? new Date(instant) : instant).toISOString();
}
