import { randomUUID } from 'node:crypto';
import { type Account, type AccountRole, bindingProblem, normalizeUsername, usernameProblem } from './account';
import { generatePassword, hashPassword, passwordProblem } from './passwords';

export interface AccountRequest {
  readonly username: string;
  readonly role: AccountRole;
  readonly orgUnitId?: string | null;
  readonly volunteerId?: string | null;
  readonly displayName?: string | null;
  /** When absent a random one is made, and answered once. */
  readonly password?: string | null;
}

/** A request that breaks the account rules: which field, and why (in Chinese first). */
export class AccountRequestInvalid extends Error {
  override readonly name = 'AccountRequestInvalid';
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * Makes an account ready to store: the username normalised, the binding and the
 * password checked, the password hashed (argon2id). Answers the password too
 * when it was generated, so that it can be shown once and never again.
 */
export async function newAccount(request: AccountRequest, createdBy: string, now = new Date()): Promise<{ account: Account; generatedPassword: string | null }> {
  const username = normalizeUsername(request.username);
  const nameProblem = usernameProblem(username);
  if (nameProblem) throw new AccountRequestInvalid('username', nameProblem);
  const binding = { role: request.role, orgUnitId: request.orgUnitId ?? null, volunteerId: request.volunteerId ?? null };
  const bindProblem = bindingProblem(binding);
  if (bindProblem) throw new AccountRequestInvalid(binding.role === 'volunteer' ? 'volunteerId' : 'orgUnitId', bindProblem);
  const generatedPassword = request.password ? null : generatePassword();
  const password = request.password ?? generatedPassword!;
  const weak = passwordProblem(password);
  if (weak) throw new AccountRequestInvalid('password', weak);
  const displayName = request.displayName?.trim() || username;
  return {
    account: { id: `acct-${randomUUID()}`, username, ...binding, displayName, passwordHash: await hashPassword(password), createdAt: now.toISOString(), createdBy },
    generatedPassword,
  };
}
