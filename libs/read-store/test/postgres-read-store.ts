import { Client } from 'pg';
import { haitangTypes } from '@haitang/event-store';
import {
  ALL_PROJECTIONS, applyProjections, pgProjectionsNamed, PostgresProjector, PostgresReadModels, READ_STORE_TABLE_NAMES, type SqliteProjection,
} from '../src';
import { freshDatabase } from '../../../test/support/postgres';
import { sortedDump } from './dump';
import type { ReadStore, ReadStoreAdapter } from './read-model-fixture';

let database: Promise<string> | null = null;
let schemas = 0;
/** Schemas of closed stores, emptied, ready for the next open() with the same projections (creating one costs ~1 s of DDL). */
const free = new Map<string, string[]>();

/** A fresh, empty schema of this test file's database: its URL (search_path set to it). */
async function freshSchema(): Promise<{ url: string; schema: string }> {
  database ??= freshDatabase('readstore');
  const base = await database;
  const schema = `rs_${++schemas}`;
  const admin = new Client({ connectionString: base });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema };
}

/** Read models in PostgreSQL (a schema of their own), applied by the PostgreSQL projector. */
export const postgresReadStore: ReadStoreAdapter = {
  name: 'PostgreSQL',
  async open(sqliteProjections: readonly SqliteProjection[] = ALL_PROJECTIONS): Promise<ReadStore> {
    const names = sqliteProjections.map((p) => p.name).join(',');
    const url = free.get(names)?.pop() ?? (await freshSchema()).url;
    const projections = pgProjectionsNamed(sqliteProjections.map((p) => p.name));
    let projector: PostgresProjector;
    let models: PostgresReadModels;
    const open = async () => {
      projector = await PostgresProjector.open(null, { url, projections });
      models = await PostgresReadModels.open({ url, poolSize: 2 });
    };
    const stop = async () => {
      await projector.stop();
      await models.close();
    };
    await open();
    const progress = { get position() { return projector.position; }, get ownershipEpoch() { return projector.ownershipEpoch; }, waitFor: (p: number, t?: number) => projector.waitFor(p, t) };
    const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
      const client = new Client({ connectionString: url, types: haitangTypes });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };
    const reset = () => withClient(async (client) => {
      // DELETE, not TRUNCATE: a handful of rows, and no new files to create and sync.
      await client.query(`${READ_STORE_TABLE_NAMES.map((t) => `DELETE FROM ${t};`).join(' ')} UPDATE checkpoints SET position = 0`);
    });
    return {
      get models() {
        return models;
      },
      apply: (events) => projector.applyBatch(events),
      deliver: (events) => withClient(async (client) => {
        await client.query('BEGIN');
        await applyProjections(client, projections.map((projection) => ({ projection, events: events.filter((e) => projection.handles.has(e.type)) })));
        await client.query('COMMIT');
      }),
      dump: () => withClient(async (client) => {
        const tables = (await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_name NOT IN ('checkpoints', 'haitang_schema_versions')`)).rows;
        const rows: Record<string, Record<string, unknown>[]> = {};
        for (const { name } of tables) {
          const found = (await client.query(`SELECT * FROM ${name}`)).rows;
          // Only the tables these projections write (SQLite creates no others).
          if (found.length > 0 || sqliteProjections.some((p) => p.schema.includes(`EXISTS ${name} (`))) rows[name] = found;
        }
        return sortedDump(rows);
      }),
      checkpoint: () => projector.checkpoint(),
      progress,
      async reopen() {
        await stop();
        await open();
      },
      reset,
      async close() {
        await stop();
        await reset();
        free.set(names, [...(free.get(names) ?? []), url]);
      },
    };
  },
};
