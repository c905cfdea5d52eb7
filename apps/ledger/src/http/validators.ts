import { Matches, type ValidationOptions } from 'class-validator';
import { bilingualFieldMessage } from './field-messages';
import { ID_PATTERN } from './ids';

/** An ISO-8601 date-time with an explicit offset (Z or +08:00): a time without a zone is ambiguous. */
export const IsInstant = (options?: ValidationOptions) =>
  Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: '$property must be a date-time with a time zone, e.g. 2026-11-20T09:00:00+08:00',
    ...options,
  });

export const IsCalendarDay = (options?: ValidationOptions) =>
  Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date written YYYY-MM-DD', ...options });

const ID_MESSAGE = '$property must be an id (letters, digits, - and _)';
export const IsId = (options?: ValidationOptions) => Matches(ID_PATTERN, { message: ID_MESSAGE, ...options });

/** True for a value IsId accepts. */
export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);
/** What IsId answers for a field that is not an id, in both languages. */
export const idFieldMessage = (field: string): string => bilingualFieldMessage('matches', ID_MESSAGE.replace('$property', field));
