import { createDatabase, findPostgresBinaries, sharedCluster } from './postgres-cluster';

/**
 * For suites that need a real PostgreSQL server. The cluster is started once
 * per test run (shared by every jest worker, stopped by globalTeardown); each
 * suite or test takes fresh databases on it.
 */
export const postgresAvailable = !('missing' in findPostgresBinaries());

/** `describe` when PostgreSQL server binaries are installed, `describe.skip` otherwise (globalSetup says why, once). */
export const describePostgres: jest.Describe = postgresAvailable ? describe : describe.skip;

/** A new empty database on the run's cluster: its URL. */
export async function freshDatabase(prefix = 'test'): Promise<string> {
  return createDatabase(await sharedCluster(), prefix);
}

/** The URL of another database of the same cluster (e.g. `postgres`, for admin statements). */
export function sameCluster(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
