import { invalid } from './domain-error';

/** Trims a required free-text field and refuses it when empty or too long. */
export function requiredText(value: string | undefined | null, field: string, label: string, max = 500): string {
  const text = (value ?? '').trim();
  if (text.length === 0) throw invalid(`${field}-required`, `请填写${label}。(${field} is required.)`);
  if (text.length > max) throw invalid(`${field}-too-long`, `${label}不能超过 ${max} 个字。(${field} is longer than ${max} characters.)`);
  return text;
}

export function optionalText(value: string | undefined | null, field: string, label: string, max = 500): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  return requiredText(value, field, label, max);
}
