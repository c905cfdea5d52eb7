import type { Account, AccountDisabling, AccountRole } from './account';

/**
 * Where accounts live. Small on purpose: the standalone SQLite file today, a
 * PostgreSQL table tomorrow; one contract suite (libs/auth/test) for both.
 */
export interface AccountStore {
  /** Throws AccountExistsError when the username (or the id) is taken. */
  create(account: Account): Promise<void>;
  find(username: string): Promise<Account | null>;
  findById(id: string): Promise<Account | null>;
  /** Accounts bound to any of these units or volunteers (all accounts when no filter), by username. */
  list(filter?: { orgUnitIds?: readonly string[]; volunteerIds?: readonly string[] }): Promise<Account[]>;
  countByRole(role: AccountRole): Promise<number>;
  /** False when there is no such account. */
  setPasswordHash(username: string, passwordHash: string): Promise<boolean>;
  /**
   * Disables the account (`{ at, by }`) or enables it again (null); false when there is no such account, and
   * when disabling it would leave no enabled admin (checked and written in one step: two admins disabling
   * each other at the same moment leave one of them enabled).
   */
  setDisabled(username: string, disabled: AccountDisabling | null): Promise<boolean>;
  /** The ids of every disabled account, and of every account removed (their tokens are refused alike), in id order. */
  disabledIds(): Promise<string[]>;
  /** Remembers a signed-out token (its id, the `jti`) until it expires: it is refused from then on. Idempotent. May forget tokens expired at `now`. */
  signOut(tokenId: string, expiresAt: number, now: number): Promise<void>;
  /** The ids of the signed-out tokens that have not expired at `now` (ms since the epoch); expired ones may be forgotten. */
  signedOutTokens(now: number): Promise<string[]>;
  /** Removes the accounts bound to a volunteer (erasure), keeping their ids as removed; answers how many. */
  removeVolunteerAccounts(volunteerId: string): Promise<number>;
  close(): Promise<void>;
}

export const ACCOUNT_STORE = Symbol('AccountStore');

export class AccountExistsError extends Error {
  override readonly name = 'AccountExistsError';
  constructor(readonly username: string) {
    super(`The username "${username}" is taken.`);
  }
}
