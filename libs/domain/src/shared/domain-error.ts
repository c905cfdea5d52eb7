/**
 * A refusal by the domain. `kind` tells the HTTP layer how to answer:
 * - `not-found`: the thing addressed does not exist (404)
 * - `conflict`: the request is fine but the current state forbids it (409)
 * - `invalid`: the request breaks a rule whatever the state (422)
 * `message` is written for a community worker (Chinese first, then English).
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) => new DomainError(code, 'not-found', message);
export const conflict = (code: string, message: string) => new DomainError(code, 'conflict', message);
export const invalid = (code: string, message: string) => new DomainError(code, 'invalid', message);
