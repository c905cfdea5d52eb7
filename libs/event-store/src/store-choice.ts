/** Where a store lives, as the environment says (HAITANG_EVENT_STORE / HAITANG_READ_STORE and their URLs); shared by the apps. */
export type StoreChoice = { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly url: string };

/** Where the event log lives: a read store's choices, or KurrentDB (the event log only). */
export type EventStoreChoice = StoreChoice | { readonly kind: 'kurrentdb'; readonly url: string; readonly namespace: string };

const KURRENTDB_URL = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/i;

/**
 * HAITANG_EVENT_STORE / HAITANG_READ_STORE / HAITANG_AUTH_STORE (the sign-in
 * accounts and the personal-data keys) = sqlite (default) | postgres; the
 * event store may also be kurrentdb. A PostgreSQL store takes its own URL
 * (HAITANG_EVENT_STORE_URL / HAITANG_READ_STORE_URL / HAITANG_AUTH_STORE_URL), else DATABASE_URL; a
 * KurrentDB store HAITANG_EVENT_STORE_URL, else KURRENTDB_URL, and its streams
 * start with HAITANG_KURRENTDB_NAMESPACE (default haitang).
 */
export function storeChoice(env: NodeJS.ProcessEnv, variable: 'HAITANG_READ_STORE' | 'HAITANG_AUTH_STORE'): StoreChoice;
export function storeChoice(env: NodeJS.ProcessEnv, variable: 'HAITANG_EVENT_STORE'): EventStoreChoice;
export function storeChoice(env: NodeJS.ProcessEnv, variable: 'HAITANG_EVENT_STORE' | 'HAITANG_READ_STORE' | 'HAITANG_AUTH_STORE'): EventStoreChoice {
  const kind = (env[variable] ?? 'sqlite').trim().toLowerCase();
  if (kind === 'sqlite' || kind === '') return { kind: 'sqlite' };
  if (variable === 'HAITANG_EVENT_STORE' && (kind === 'kurrentdb' || kind === 'eventstoredb')) return kurrentDbChoice(env);
  if (kind !== 'postgres' && kind !== 'postgresql') {
    throw new Error(`${variable} must be ${variable === 'HAITANG_EVENT_STORE' ? 'sqlite, postgres or kurrentdb' : 'sqlite or postgres'}, got "${env[variable]}"`);
  }
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

function kurrentDbChoice(env: NodeJS.ProcessEnv): EventStoreChoice {
  const source = env.HAITANG_EVENT_STORE_URL ? 'HAITANG_EVENT_STORE_URL' : 'KURRENTDB_URL';
  const url = env[source]?.trim();
  if (!url) throw new Error('HAITANG_EVENT_STORE=kurrentdb needs a server: set KURRENTDB_URL (kurrentdb://host:2113?tls=false, KurrentDB 25.1 or later)');
  if (!KURRENTDB_URL.test(url)) throw new Error(`${source} is not a KurrentDB connection string (kurrentdb://host:2113?tls=false)`);
  const namespace = (env.HAITANG_KURRENTDB_NAMESPACE ?? 'haitang').trim();
  if (!/^[A-Za-z0-9_]{1,100}$/.test(namespace)) throw new Error(`HAITANG_KURRENTDB_NAMESPACE must be letters, digits and _ only, got "${namespace}"`);
  return { kind: 'kurrentdb', url, namespace };
}
