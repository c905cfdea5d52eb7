import type { Language } from '../i18n/i18n';

/** Hours with one decimal from whole minutes, half up, in integers (as the server computes them). */
export function hours(minutes: number): string {
  const tenths = Math.floor((Math.abs(minutes) * 10 + 30) / 60);
  return `${minutes < 0 ? '-' : ''}${Math.floor(tenths / 10)}.${tenths % 10}`;
}

const ZONE = 'Asia/Shanghai';
const locale = (lang: Language) => (lang === 'zh' ? 'zh-CN' : 'en-GB');

/** A date and time as Suzhou sees it: 11月20日 09:00. */
export function dateTime(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

export function time(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD) written for people: 2026年10月1日. */
export function day(date: string, lang: Language): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return lang === 'zh' ? `${y}年${m}月${d}日` : new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(Date.UTC(y, m - 1, d));
}

/** Today's date in Suzhou (YYYY-MM-DD). */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The local time in Suzhou (HH:MM) of an instant. */
export function shanghaiClock(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}

/** An instant from a Suzhou date and clock time, written with its offset. */
export function shanghaiInstant(date: string, clock: string): string {
  return `${date}T${clock}:00+08:00`;
}
