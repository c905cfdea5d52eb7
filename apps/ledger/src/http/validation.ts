import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, problem, ProblemException } from './problem';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Validates every body and query against its DTO; unknown fields are refused, not ignored. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new ProblemException(problem(400, 'validation-failed',
        `请检查填写的内容：${fields.map((f) => f.field).filter((f, i, a) => a.indexOf(f) === i).join('、')}。(Some fields are invalid.)`, fields));
    },
  });
}
