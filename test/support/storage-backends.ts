import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { READ_STORE_TABLE_NAMES } from '../../libs/read-store/src/postgres/schema';
import { freshNamespace, kurrentDbUrl } from './kurrentdb';
import { freshDatabase, postgresAvailable } from './postgres';

/**
 * The storage configurations the end-to-end suites run the app with, one
 * place for all of them: `describe.each(STORAGE_BACKENDS)('… ($name)', (backend) => …)`
 * and `startHaitang(dir, await backend.prepare())`.
 */
export interface StorageBackend {
  readonly name: string;
  /** The environment for startHaitang (fresh databases where needed). Keep it for restarts. */
  prepare(): Promise<Record<string, string>>;
  /** Deletes the read models while the app is stopped (they are rebuilt from the log on the next start). */
  deleteReadModels(dataDir: string, env: Record<string, string>): Promise<void>;
}

export const SQLITE: StorageBackend = {
  name: 'SQLite',
  prepare: async () => ({}),
  async deleteReadModels(dataDir) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `readmodels.sqlite${suffix}`), { force: true });
  },
};

/** Every store (event log, read models, accounts and personal-data keys) in one fresh PostgreSQL database on the test run's cluster. */
export const POSTGRES: StorageBackend = {
  name: 'PostgreSQL',
  async prepare() {
    return { HAITANG_EVENT_STORE: 'postgres', HAITANG_READ_STORE: 'postgres', HAITANG_AUTH_STORE: 'postgres', DATABASE_URL: await freshDatabase('e2e') };
  },
  async deleteReadModels(_dataDir, env) {
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(`DROP TABLE checkpoints, ${READ_STORE_TABLE_NAMES.join(', ')};
        DELETE FROM haitang_schema_versions WHERE component = 'read-store'`);
    } finally {
      await db.end();
    }
  },
};

/**
 * The event log in KurrentDB (a fresh namespace on the server at KURRENTDB_URL), everything else in a fresh
 * PostgreSQL database: the distributed setup's stores. Only when KURRENTDB_URL is set (globalSetup says so otherwise).
 */
export const KURRENTDB: StorageBackend = {
  name: 'KurrentDB',
  async prepare() {
    return {
      HAITANG_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: process.env.KURRENTDB_URL ?? '', HAITANG_KURRENTDB_NAMESPACE: freshNamespace('e2e'),
      HAITANG_READ_STORE: 'postgres', HAITANG_AUTH_STORE: 'postgres', DATABASE_URL: await freshDatabase('e2e_kurrent'),
    };
  },
  deleteReadModels: (dataDir, env) => POSTGRES.deleteReadModels(dataDir, env),
};

/** PostgreSQL is left out (and said so once by globalSetup) where no server binaries are installed; KurrentDB unless KURRENTDB_URL names a server. */
export const STORAGE_BACKENDS: readonly StorageBackend[] = [
  SQLITE,
  ...(postgresAvailable ? [POSTGRES] : []),
  ...(postgresAvailable && kurrentDbUrl ? [KURRENTDB] : []),
];
