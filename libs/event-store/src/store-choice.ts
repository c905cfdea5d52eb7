/** Where a store lives, as the environment says (HAITANG_EVENT_STORE / HAITANG_READ_STORE and their URLs); shared by the apps. */
export type StoreChoice = { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly url: string };

/**
 * HAITANG_EVENT_STORE / HAITANG_READ_STORE = sqlite (default) | postgres. A PostgreSQL store takes its
 * own URL (HAITANG_EVENT_STORE_URL / HAITANG_READ_STORE_URL), else DATABASE_URL.
 */
export function storeChoice(env: NodeJS.ProcessEnv, variable: 'HAITANG_EVENT_STORE' | 'HAITANG_READ_STORE'): StoreChoice {
  const kind = (env[variable] ?? 'sqlite').trim().toLowerCase();
  if (kind === 'sqlite' || kind === '') return { kind: 'sqlite' };
  if (kind !== 'postgres' && kind !== 'postgresql') throw new Error(`${variable} must be sqlite or postgres, got "${env[variable]}"`);
  const url = env[`${variable}_URL`] || env.DATABASE_URL;
  if (!url) throw new Error(`${variable}=postgres needs a database: set ${variable}_URL or DATABASE_URL (postgres://user:password@host:5432/haitang)`);
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error('not a postgres:// URL');
  } catch {
    throw new Error(`${env[`${variable}_URL`] ? `${variable}_URL` : 'DATABASE_URL'} is not a postgres:// URL`);
  }
  return { kind: 'postgres', url };
}
