import { DomainError } from '@haitang/domain';
import { problem, ProblemException } from '@haitang/ledger';

/**
 * Runs a domain check of query parameters (a real date, from ≤ to, …). A
 * refusal is a malformed request, so it is answered 400 with the field at
 * fault, like the DTO validation before it.
 */
export function checkQuery<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError) {
      throw new ProblemException(problem(400, error.code, error.message, [{ field, message: error.message }]));
    }
    throw error;
  }
}

export const orgUnitNotFound = () => new ProblemException(problem(404, 'org-unit-not-found', '找不到该单位。(Org unit not found.)'));
