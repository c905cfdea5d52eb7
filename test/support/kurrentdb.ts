import { randomUUID } from 'node:crypto';

/**
 * For suites that need a real KurrentDB server (25.1 or later). None can be
 * started here (it runs in Docker or as a service), so they run only when
 * KURRENTDB_URL names one, e.g. kurrentdb://localhost:2113?tls=false, and are
 * skipped otherwise (jest's globalSetup says so in one line per run). Each
 * store takes a fresh namespace on that server, so tests and runs never see
 * each other's streams; nothing is deleted afterwards: point it at a
 * throwaway server.
 */
export const kurrentDbUrl: string | undefined = process.env.KURRENTDB_URL?.trim() || undefined;

/** `describe` when KURRENTDB_URL is set, `describe.skip` otherwise. */
export const describeKurrentDb: jest.Describe = kurrentDbUrl ? describe : describe.skip;

/** A namespace no other store on the server uses (see KurrentDbEventStoreOptions.namespace). */
export function freshNamespace(prefix = 't'): string {
  return `${prefix}${randomUUID().replace(/-/g, '')}`;
}
