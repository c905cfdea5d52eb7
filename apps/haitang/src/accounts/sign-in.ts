import { Inject, Injectable } from '@nestjs/common';
import {
  ACCOUNT_STORE, type AccountStore, type AccountView, accountView, AuthenticationError, generatePassword, hashPassword, LocalTokens,
  normalizeUsername, verifyPassword,
} from '@haitang/auth';

/** The refusal of a disabled account's sign-in and of its tokens (401). */
export const accountDisabled = () => new AuthenticationError('account-disabled',
  '该账号已停用，请联系社区工作人员。(This account has been disabled; ask your community’s staff.)');

export const tokenSignedOut = () => new AuthenticationError('token-signed-out', '已退出登录，请重新登录。(This token was signed out; sign in again.)');

/**
 * Checks a username and password and issues a token. An unknown username costs
 * the same argon2 work as a wrong password, so timing does not tell which
 * usernames exist; both are answered alike.
 */
@Injectable()
export class SignIn {
  private decoy: Promise<string> | null = null;

  constructor(
    @Inject(ACCOUNT_STORE) private readonly accounts: AccountStore,
    private readonly tokens: LocalTokens,
  ) {}

  async check(username: string, password: string): Promise<AccountView> {
    const account = await this.accounts.find(normalizeUsername(username));
    this.decoy ??= hashPassword(generatePassword());
    const ok = await verifyPassword(account?.passwordHash ?? await this.decoy, password);
    if (!account || !ok) throw new AuthenticationError('invalid-credentials', '用户名或密码不正确。(Wrong username or password.)');
    // Said only to whoever knows the password: it tells nobody else that the account exists.
    if (account.disabled) throw accountDisabled();
    return accountView(account);
  }

  async signIn(username: string, password: string): Promise<{ token: string; expiresAt: string; account: AccountView }> {
    const account = await this.check(username, password);
    return { ...(await this.tokens.issue(account)), account };
  }
}
