import { resolve } from 'node:path';

/** What the projector process reads from the environment (the same variables as Haitang; see README). */
export interface ProjectorConfig {
  /** Where /health and /metrics listen (PORT, default 3001). */
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** The event log: events.sqlite in HAITANG_DATA_DIR, or a PostgreSQL database. */
  readonly eventStore: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
  /** The PostgreSQL database of the read models. */
  readonly readStoreUrl: string;
}

function postgresUrl(env: NodeJS.ProcessEnv, variable: string): string {
  const name = env[variable] ? variable : 'DATABASE_URL';
  const url = env[name];
  if (!url) throw new Error(`set ${variable} or DATABASE_URL (postgres://user:password@host:5432/haitang)`);
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch { /* reported below */ }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new Error(`${name} is not a postgres:// URL`);
  return url;
}

export function loadProjectorConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  const port = Number(env.PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const readStore = (env.HAITANG_READ_STORE ?? '').trim().toLowerCase();
  if (readStore !== 'postgres' && readStore !== 'postgresql') {
    throw new Error('The projector process keeps read models in PostgreSQL: set HAITANG_READ_STORE=postgres (with SQLite read models the projector runs inside Haitang)');
  }
  const eventStore = (env.HAITANG_EVENT_STORE ?? 'sqlite').trim().toLowerCase();
  if (!['sqlite', '', 'postgres', 'postgresql'].includes(eventStore)) throw new Error(`HAITANG_EVENT_STORE must be sqlite or postgres, got "${env.HAITANG_EVENT_STORE}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: env.LOG_LEVEL ?? 'info',
    eventStore: eventStore.startsWith('postgres')
      ? { kind: 'postgres', url: postgresUrl(env, 'HAITANG_EVENT_STORE_URL') }
      : { kind: 'sqlite', file: resolve(env.HAITANG_DATA_DIR ?? './data', 'events.sqlite') },
    readStoreUrl: postgresUrl(env, 'HAITANG_READ_STORE_URL'),
  };
}
