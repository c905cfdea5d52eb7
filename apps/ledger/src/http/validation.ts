import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { bilingualFieldMessage, requiredFieldMessage } from './field-messages';
import { type FieldError, problem, ProblemException } from './problem';
import { rememberValidationRules } from './validation-metadata';

export { requiredFieldMessage };

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    // A required field left out fails every rule on it ("must be a string", "must be shorter than…"): say the one thing that matters.
    const own = constraints.length > 0 && e.value == null && !e.constraints?.whitelistValidation
      ? [{ field, message: requiredFieldMessage(field) }]
      : constraints.map(([constraint, message]) => ({ field, message: bilingualFieldMessage(constraint, message) }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Names every object inherits: no DTO field is called so. */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Unknown fields named like Object.prototype members (`constructor`,
 * `hasOwnProperty`, `__defineGetter__`, …) slip past class-validator's
 * whitelist (it looks them up in a plain object and finds the inherited
 * function) or are silently deleted by Nest's prototype-key stripping, so
 * they would be ignored instead of refused. They are refused here first.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type === 'body' || metadata.type === 'query') && metadata.metatype && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inherited = Object.keys(value).filter((key) => INHERITED_NAMES.has(key));
      if (inherited.length > 0) {
        throw await this.exceptionFactory(inherited.map((property) => ({
          property, children: [], constraints: { whitelistValidation: `property ${property} should not exist` },
        })));
      }
    }
    return super.transform(value, metadata);
  }
}

/** Validates every body and query against its DTO; unknown fields are refused, not ignored. */
export function validationPipe(): ValidationPipe {
  rememberValidationRules();
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    // The value tells a field left out from one filled in wrongly; it is not echoed in the answer.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

/** 400 for fields filled in wrongly or left out: the answer the validation pipe gives (also given before it, by the access check). */
export function validationFailed(fields: readonly FieldError[]): ProblemException {
  return new ProblemException(problem(400, 'validation-failed',
    `请检查填写的内容：${fields.map((f) => f.field).filter((f, i, a) => a.indexOf(f) === i).join('、')}。(Some fields are invalid.)`, fields));
}
