import { type ClientConfig, types as pgTypes } from 'pg';

/**
 * How Haitang connects to PostgreSQL (node-postgres 8), shared by the event
 * store and the read store: numbers come back as numbers, instants as the
 * ISO-8601 strings the rest of Haitang uses, and every session runs in UTC
 * with synchronous commit on (an acknowledged append must survive a crash,
 * whatever the server's default is).
 */

const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;

/** "2026-11-26 01:32:13.2+00" (TimeZone=UTC) -> "2026-11-26T01:32:13.200Z". */
export function isoFromPg(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?\+00$/.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  return new Date(text).toISOString();
}

/** Positions, counts and sums fit in a double (2^53): parse them as numbers, not strings. */
export const haitangTypes = {
  getTypeParser(oid: number, format?: string) {
    if (format !== 'binary') {
      if (oid === INT8 || oid === NUMERIC) return (text: string) => Number(text);
      if (oid === TIMESTAMPTZ) return isoFromPg;
    }
    return (pgTypes.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
} as unknown as ClientConfig['types'];

export interface PostgresConnection {
  /** postgres://user:password@host:port/database (libpq URL; `?sslmode=…` and `?options=…` are honoured). */
  readonly url: string;
  /** Name shown in pg_stat_activity. */
  readonly applicationName?: string;
}

/**
 * Session settings every Haitang connection gets. `extra` adds settings such
 * as lock_timeout for the append connection.
 */
export function clientConfig(connection: PostgresConnection, extra: Record<string, string> = {}): ClientConfig {
  const settings = Object.entries({ TimeZone: 'UTC', synchronous_commit: 'on', ...extra }).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  // node-postgres lets the URL's parameters win over the config object, so the settings go into the URL,
  // after any `options` the operator put there (e.g. -c search_path=haitang).
  const url = new URL(connection.url);
  const own = url.searchParams.get('options');
  url.searchParams.set('options', own ? `${own} ${settings}` : settings);
  return {
    connectionString: url.toString(),
    application_name: connection.applicationName ?? 'haitang',
    types: haitangTypes,
    keepAlive: true,
    connectionTimeoutMillis: 5000,
  };
}

/** Network errors of the driver: the server is unreachable or the connection was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const DRIVER_MESSAGES = /Connection terminated|connection error|not queryable|timeout expired|Connection ended|terminating connection/i;

/**
 * True when an error means "the database cannot serve us right now" (answered
 * 503), as opposed to a bug: connection failures (SQLSTATE class 08), the
 * server shutting down or the backend terminated (57P0x), insufficient
 * resources such as a full disk or too many connections (53), system and I/O
 * errors (58), lock or statement timeouts (55P03, 57014), the idle-in-
 * transaction timeout (25P03), serialization failures and deadlocks (40),
 * read-only or recovering servers (25006), a database that does not accept
 * connections now (55000), and the driver's network errors.
 */
export function isConnectionFailure(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code)) return true;
  if (/^(08|53|57|58|40)/.test(code) || code === '55P03' || code === '55000' || code === '25P03' || code === '25006') return true;
  return typeof e.message === 'string' && code === '' && DRIVER_MESSAGES.test(e.message);
}

/** Advisory-lock keys: (HAITANG, n). One namespace for every lock Haitang takes. */
export const ADVISORY_CLASS = 0x4854; // "HT"
export const ADVISORY_LOCKS = { append: 1, migrate: 2, accounts: 3 } as const;
