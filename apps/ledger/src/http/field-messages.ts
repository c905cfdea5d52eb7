/**
 * class-validator words its refusals in English ("name must be longer than or
 * equal to 1 characters"). A community worker reads Chinese, so every field
 * message is answered in the house format "中文。(English.)", which the web
 * console shows in the reader's language (apps/web inLanguage) under the
 * field it concerns. The Chinese part does not repeat the field's name: the
 * answer names the field beside the message, and the console shows it under
 * the field's own label.
 */

/** A number in the English message (the bound of a length, a minimum, …). */
const numberIn = (english: string): string => /(-?\d+(?:\.\d+)?)/.exec(english)?.[1] ?? '';

/** The Chinese of messages that the DTOs word themselves (validators.ts, the query DTOs). */
const BY_WORDING: readonly [RegExp, (english: string) => string][] = [
  [/must be a date-time with a time zone/, () => '应为带时区的时间，例如 2026-11-20T09:00:00+08:00'],
  [/must be a date written YYYY-MM-DD/, () => '应为日期，写作 YYYY-MM-DD'],
  [/must be a month written YYYY-MM/, () => '应为月份，写作 YYYY-MM，例如 2026-10'],
  [/must be an id/, () => '应为编号（字母、数字、- 和 _）'],
  [/must be an event type/, () => '应为事件类型，例如 ServiceAmended.v1'],
  [/must be a stream id/, () => '应为记录编号，例如 record-<编号>'],
  [/must be 5–20 digits/, () => '应为 5–20 位数字'],
  [/18-character resident ID number/, () => '应为 18 位居民身份证号码'],
  [/must be one of/, (english) => `应为以下之一：${english.replace(/^.*one of(?: the following values)?:?\s*/, '')}`],
];

/** The Chinese of class-validator's own messages, by constraint. */
const BY_CONSTRAINT: Record<string, (english: string) => string> = {
  isString: () => '应为文字',
  minLength: (english) => (numberIn(english) === '1' ? '不能为空' : `至少 ${numberIn(english)} 个字`),
  maxLength: (english) => `不能超过 ${numberIn(english)} 个字`,
  isInt: () => '应为整数',
  min: (english) => `不能小于 ${numberIn(english)}`,
  max: (english) => `不能大于 ${numberIn(english)}`,
  isBoolean: () => '应为 true 或 false',
  whitelistValidation: () => '不认识这一项，请去掉',
};

/** A field's refusal as "中文。(English.)". */
export function bilingualFieldMessage(constraint: string, english: string): string {
  // A DTO that words its message in both languages already ("code 应为…。(code is …)") is answered as it is.
  if (/[\u4e00-\u9fff]/.test(english)) return english;
  const chinese = BY_WORDING.find(([wording]) => wording.test(english))?.[1](english)
    ?? BY_CONSTRAINT[constraint]?.(english)
    ?? '填写的内容不符合要求';
  return `${chinese}。(${english.replace(/\.$/, '')}.)`;
}

/** A required field that was left out (or sent as null). */
export function requiredFieldMessage(field: string): string {
  return `必须填写。(${field} is required.)`;
}
