/**
 * Who may sign in: an account bound to a role and to what that role covers.
 * admin: everything; official: reads its org unit's subtree; staff: reads and
 * writes its org unit's subtree; volunteer: one volunteer's own data.
 */
export const ROLES = ['admin', 'official', 'staff', 'volunteer'] as const;
export type AccountRole = (typeof ROLES)[number];

export interface Account {
  /**
   * An opaque id (`acct-<uuid>`), never changed: the actor id recorded in the
   * log. Not the username, which may be personal data (a phone number) and
   * must be erasable, while the log is not.
   */
  readonly id: string;
  /** Lower-case and unique: what the user types to sign in. */
  readonly username: string;
  readonly role: AccountRole;
  /** The unit an official or staff member works for (null for admin and volunteer). */
  readonly orgUnitId: string | null;
  /** The volunteer a volunteer account belongs to (null otherwise). */
  readonly volunteerId: string | null;
  readonly displayName: string;
  /** argon2id, PHC string format. */
  readonly passwordHash: string;
  readonly createdAt: string;
  /** Who created it (a username, or `setup`/`demo`/`cli`). */
  readonly createdBy: string;
  /**
   * Only while the account is disabled: since when, by whom (an account id), and whether an admin did it (then
   * only an admin enables it again). It cannot sign in, and its tokens are refused.
   */
  readonly disabled?: AccountDisabling;
}

export interface AccountDisabling {
  readonly at: string;
  readonly by: string;
  readonly byAdmin: boolean;
}

/** What clients see of an account (never the hash). */
export interface AccountView {
  /** The actor id of what the account does, in the log. */
  readonly id: string;
  readonly username: string;
  readonly role: AccountRole;
  readonly orgUnitId: string | null;
  readonly volunteerId: string | null;
  readonly displayName: string;
}

export const accountView = (a: Pick<Account, keyof AccountView>): AccountView => ({
  id: a.id, username: a.username, role: a.role, orgUnitId: a.orgUnitId, volunteerId: a.volunteerId, displayName: a.displayName,
});

/** Letters, digits and . _ - @, 2–64 characters; compared without case. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

export const normalizeUsername = (username: string) => username.trim().toLowerCase();

export const isRole = (value: unknown): value is AccountRole => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const usernameProblem = (username: string): string | null => USERNAME_PATTERN.test(username) ? null
  : '用户名只能包含小写字母、数字和 . _ - @，长度 2–64。(username: 2–64 of a-z 0-9 . _ - @.)';

/** Why a role cannot be bound as asked (null when it can): the binding rules, in one place. */
export function bindingProblem(a: Pick<Account, 'role' | 'orgUnitId' | 'volunteerId'>): string | null {
  switch (a.role) {
    case 'admin':
      return a.orgUnitId === null && a.volunteerId === null ? null : '管理员账号不绑定单位或志愿者。(An admin account is bound to nothing.)';
    case 'official':
    case 'staff':
      return a.orgUnitId !== null && a.volunteerId === null ? null : '工作人员和领导账号必须绑定一个单位。(Staff and official accounts are bound to one org unit.)';
    case 'volunteer':
      return a.volunteerId !== null && a.orgUnitId === null ? null : '志愿者账号必须绑定一名志愿者。(A volunteer account is bound to one volunteer.)';
  }
}
