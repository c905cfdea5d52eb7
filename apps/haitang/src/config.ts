import { join, resolve } from 'node:path';
import { parseStarThresholds } from '@haitang/domain';

/** Everything Haitang reads from the environment, in one place (see README, Configuration). */
export interface HaitangConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Log one line per HTTP request (commands are always logged). */
  readonly logRequests: boolean;
  /** Star levels: cumulative approved hours for 1, 2, … stars. */
  readonly starThresholdsHours: number[];
  /** Where the event log lives: SQLite files in the data dir (default) or a PostgreSQL database. */
  readonly eventStore: StoreChoice;
  /** Where the read models live. */
  readonly readStore: StoreChoice;
}

export type StoreChoice = { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly url: string };

/**
 * HAITANG_EVENT_STORE / HAITANG_READ_STORE = sqlite (default) | postgres. A PostgreSQL store takes its
 * own URL (HAITANG_EVENT_STORE_URL / HAITANG_READ_STORE_URL), else DATABASE_URL.
 */
function storeChoice(env: NodeJS.ProcessEnv, variable: 'HAITANG_EVENT_STORE' | 'HAITANG_READ_STORE'): StoreChoice {
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HaitangConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.HAITANG_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    logRequests: (env.HAITANG_LOG_REQUESTS ?? 'true') !== 'false',
    starThresholdsHours: parseStarThresholds(env.HAITANG_STAR_THRESHOLDS),
    eventStore: storeChoice(env, 'HAITANG_EVENT_STORE'),
    readStore: storeChoice(env, 'HAITANG_READ_STORE'),
  };
}

export const dataFile = (config: HaitangConfig, name: string) => join(config.dataDir, name);
