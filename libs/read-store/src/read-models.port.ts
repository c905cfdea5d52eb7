import type { ProjectionProgress } from './projection-progress';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * Read access to the read models, the same for every adapter (SQLite file,
 * PostgreSQL). Queries are written once, in SQL both dialects understand,
 * with `?` placeholders; `dialect` is there for the rare statement that must differ.
 */
export interface ReadModels {
  readonly dialect: SqlDialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /**
   * Runs several queries on one snapshot, so that figures computed by separate
   * queries (a report's rows and its total) always agree even while the
   * projector commits.
   */
  consistent<T>(work: (db: ReadModels) => Promise<T>): Promise<T>;
}

/** The read models (a ReadModels). */
export const READ_MODELS = Symbol('ReadModels');

/** A projector as the app sees it: how far it came, and why it is stuck if it is. */
export interface ProjectorStatus extends ProjectionProgress {
  /** Set while the read models cannot be updated (it retries), null when all is well. */
  readonly error: Error | null;
  stop(): Promise<void>;
}

/** Named parameters (`@unit`) to positional ones, once per statement text. */
const bound = new Map<string, { sql: string; names: string[] }>();
export function named(sql: string, params: Record<string, unknown>): [string, unknown[]] {
  let entry = bound.get(sql);
  if (!entry) {
    const names: string[] = [];
    entry = { sql: sql.replace(/@([a-z_]+)/gi, (_, name: string) => (names.push(name), '?')), names };
    bound.set(sql, entry);
  }
  return [entry.sql, entry.names.map((n) => params[n])];
}

/**
 * `IN (…)` placeholders for a list of values, padded (with its last value) to a
 * power of two, so that the statement caches hold a few texts, not one per
 * length. The list must not be empty.
 */
export function paddedIn<T>(values: readonly T[]): { placeholders: string; params: T[] } {
  let size = 1;
  while (size < values.length) size *= 2;
  const params = [...values, ...Array<T>(size - values.length).fill(values[values.length - 1])];
  return { placeholders: params.map(() => '?').join(', '), params };
}
