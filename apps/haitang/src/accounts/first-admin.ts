import { type AccountStore, newAccount, normalizeUsername } from '@haitang/auth';
import type { AuthConfig } from '../config';

/** A framed notice on stdout (not in the JSON log): printed once, by the process that made the password. */
export function printOnce(title: string, lines: readonly string[]): void {
  const rule = '='.repeat(72);
  process.stdout.write(`\n${rule}\n ${title}\n\n${lines.map((l) => `   ${l}`).join('\n')}\n${rule}\n\n`);
}

/**
 * Makes sure there is an administrator:
 * - HAITANG_ADMIN_USER and HAITANG_ADMIN_PASSWORD set: that account is created
 *   if it does not exist yet (an existing account is never changed);
 * - otherwise, when no admin account exists, one is created (named by
 *   HAITANG_ADMIN_USER, else `admin`) with a random password printed once.
 * There is never a default password.
 */
export async function ensureFirstAdmin(store: AccountStore, auth: AuthConfig, createdBy = 'setup'): Promise<{ created: string | null }> {
  if (auth.adminUser && auth.adminPassword) {
    const username = normalizeUsername(auth.adminUser);
    if (await store.find(username)) return { created: null };
    const { account } = await newAccount({ username, role: 'admin', password: auth.adminPassword }, createdBy)
      .catch((error: Error) => { throw new Error(`HAITANG_ADMIN_USER / HAITANG_ADMIN_PASSWORD: ${error.message}`); });
    await store.create(account);
    return { created: username };
  }
  if ((await store.countByRole('admin')) > 0) return { created: null };
  const { account, generatedPassword } = await newAccount({ username: auth.adminUser ?? 'admin', role: 'admin', displayName: '管理员' }, createdBy);
  await store.create(account);
  printOnce('海棠 Haitang: an administrator account was created (first start)', [
    `username: ${account.username}`,
    `password: ${generatedPassword}`,
    '',
    'This password is shown only this once. Sign in with it (POST /api/v1/sessions),',
    'then create the accounts of staff and officials. Lost it? Run:',
    `  npm run admin -- reset-password ${account.username}`,
  ]);
  return { created: account.username };
}
