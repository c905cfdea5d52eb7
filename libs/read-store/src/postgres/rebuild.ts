import { Client } from 'pg';
import { clientConfig, type EventStore, type PostgresConnection, type RecordedEvent } from '@haitang/event-store';
import type { RebuildProgress } from '../sqlite/rebuild';
import { ALL_PG_PROJECTIONS, type PostgresProjection } from './postgres-projections';
import { applyProjections, PostgresProjector, type PostgresProjectorOptions } from './postgres-projector';
import { RebuildMemory } from './read-model-batch';
import { migrateReadStore } from './postgres-read-models';
import { READ_STORE_TABLE_NAMES } from './schema';

const batchSizeOf = (options: { batchSize?: number }) => options.batchSize ?? 20_000;

/** The URL of the same database with `schema` first on the search path. */
function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  const own = u.searchParams.get('options');
  u.searchParams.set('options', `${own ? `${own} ` : ''}-c search_path=${schema}`);
  return u.toString();
}

/**
 * Rebuilds the PostgreSQL read models from the log: replays it from position
 * zero into fresh tables in a schema of their own (the same projector code,
 * big batches, the next batch read while the current one is applied; the
 * tables unlogged and without their secondary indexes until the replay is
 * done, and rows that cannot exist yet not looked up), then
 * swaps them for the live tables in ONE transaction (DROP the live table,
 * ALTER TABLE … SET SCHEMA the fresh one) and moves the checkpoints. Queries
 * see the old figures until that commit and the new ones after; a running
 * projector notices that the checkpoints moved and carries on from them.
 */
export async function rebuildPostgresReadModels(options: PostgresConnection & {
  store: EventStore;
  projections?: readonly PostgresProjection[];
  onProgress?: (progress: RebuildProgress) => void;
  batchSize?: number;
}): Promise<{ events: number; position: number; seconds: number; indexSeconds: number; swapSeconds: number }> {
  const started = Date.now();
  const projections = options.projections ?? ALL_PG_PROJECTIONS;
  await migrateReadStore(options); // the live tables exist (first start), and are not from a newer Haitang
  const admin = new Client(clientConfig({ ...options, applicationName: 'haitang rebuild' }, { lock_timeout: '30s' }));
  admin.on('error', () => undefined);
  await admin.connect();
  const live = (await admin.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0].schema;
  const fresh = `haitang_rebuild_${process.pid}_${started}`;
  try {
    await admin.query(`CREATE SCHEMA ${fresh}`);
    // The fresh tables and their checkpoint rows, as a projector creates them.
    await (await PostgresProjector.open(null, { ...options, url: inSchema(options.url, fresh), projections, applicationName: 'haitang rebuild' })).stop();
    // While the fresh tables fill: no WAL (unlogged), and no indexes at all, not even the keys' (every row
    // is written once, by COPY, so nothing conflicts): built once at the end, by sorting.
    const indexes = (await admin.query<{ name: string; sql: string }>(
      `SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%\_pkey' AND indexname NOT LIKE '%\_key'`, [fresh],
    )).rows;
    const keys = (await admin.query<{ table: string; name: string; def: string }>(
      `SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.connamespace = $1::regnamespace AND k.contype IN ('p', 'u') AND c.relname <> 'checkpoints'`, [fresh],
    )).rows;
    for (const { name } of indexes) await admin.query(`DROP INDEX ${fresh}.${name}`);
    for (const { table, name } of keys) await admin.query(`ALTER TABLE ${fresh}.${table} DROP CONSTRAINT ${name}`);
    for (const table of READ_STORE_TABLE_NAMES) await admin.query(`ALTER TABLE ${fresh}.${table} SET UNLOGGED`);
    let events = 0;
    const target = await options.store.headPosition();
    options.onProgress?.({ projected: 0, target });
    let position = await replayInMemory({ ...options, url: inSchema(options.url, fresh) }, options.store, projections, batchSizeOf(options), (p, n) => {
      events += n;
      options.onProgress?.({ projected: p, target: Math.max(target, p) });
    });
    const finishing = Date.now();
    for (const table of READ_STORE_TABLE_NAMES) await admin.query(`ALTER TABLE ${fresh}.${table} SET LOGGED`);
    for (const { table, name, def } of keys) await admin.query(`ALTER TABLE ${fresh}.${table} ADD CONSTRAINT ${name} ${def}`);
    for (const { sql } of indexes) await admin.query(sql);
    const finishSeconds = (Date.now() - finishing) / 1000;
    const swapStarted = Date.now();
    // The live projector went on meanwhile. Swap only when the fresh tables have reached every live
    // checkpoint: the swap locks the live checkpoints (a projector batch holds them while it commits), and
    // if they are ahead it lets go, brings the fresh tables up to them, and tries again. Otherwise the
    // swapped-in checkpoints would be behind what the live projector believes it has done.
    for (;;) {
      await admin.query('BEGIN');
      const ahead = Number((await admin.query<{ p: string | number | null }>(
        `SELECT max(position) AS p FROM (SELECT position FROM ${live}.checkpoints FOR UPDATE) c`,
      )).rows[0].p ?? 0);
      if (ahead <= position) break;
      await admin.query('ROLLBACK');
      const catchUp = await PostgresProjector.open(null, { ...options, url: inSchema(options.url, fresh), projections, applicationName: 'haitang rebuild' });
      try {
        while (position < ahead) {
          const batch = (await options.store.readAll(position, batchSizeOf(options))).filter((e) => e.position <= ahead);
          if (batch.length === 0) break;
          await catchUp.applyBatch(batch);
          position = batch[batch.length - 1].position;
          events += batch.length;
        }
      } finally {
        await catchUp.stop();
      }
    }
    try {
      await admin.query('SET LOCAL synchronous_commit = on');
      for (const table of READ_STORE_TABLE_NAMES) {
        await admin.query(`DROP TABLE IF EXISTS ${live}.${table}`);
        await admin.query(`ALTER TABLE ${fresh}.${table} SET SCHEMA ${live}`);
      }
      await admin.query(`INSERT INTO ${live}.checkpoints (projection, version, position)
        SELECT projection, version, position FROM ${fresh}.checkpoints
        ON CONFLICT (projection) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position`);
      await admin.query('COMMIT');
    } catch (error) {
      await admin.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return { events, position, seconds: (Date.now() - started) / 1000, indexSeconds: finishSeconds, swapSeconds: (Date.now() - swapStarted) / 1000 };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

/**
 * The replay of a rebuild: the same projections (load, then apply event by
 * event) over batches of the log, on a ReadModelBatch whose rows are the
 * RebuildMemory (the whole state of the fresh tables, in memory), so no batch
 * waits for a query, and the next batch is read while this one is applied.
 * Every table is then written once with COPY, and the checkpoints with it, in
 * ONE transaction. Returns the last position replayed.
 */
async function replayInMemory(
  connection: PostgresConnection, store: EventStore, projections: readonly PostgresProjection[], batchSize: number,
  onBatch: (position: number, events: number) => void,
): Promise<number> {
  const client = new Client(clientConfig({ ...connection, applicationName: 'haitang rebuild' }, { synchronous_commit: 'off' }));
  client.on('error', () => undefined);
  await client.connect();
  try {
    const memory = new RebuildMemory();
    await client.query('BEGIN');
    let position = 0;
    let next: Promise<RecordedEvent[]> = store.readAll(0, batchSize);
    for (;;) {
      const batch = await next;
      if (batch.length === 0) break;
      position = batch[batch.length - 1].position;
      next = store.readAll(position, batchSize);
      await applyProjections(client, projections.map((p) => ({ projection: p, events: batch.filter((e) => p.handles.has(e.type)) })), memory);
      onBatch(position, batch.length);
    }
    await memory.writeAll(client);
    await client.query('UPDATE checkpoints SET position = $2 WHERE projection = ANY($1::text[])', [projections.map((p) => p.name), position]);
    await client.query('COMMIT');
    return position;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Opens the PostgreSQL projector over `store` and starts it. Read models found
 * ahead of the log (the log was restored from an older backup) no longer
 * describe it: they are rebuilt from the log first. Used by the Haitang
 * process and by the projector process alike.
 */
export async function startPostgresProjector(store: EventStore, options: PostgresProjectorOptions & { url: string }): Promise<PostgresProjector> {
  const projector = await PostgresProjector.open(store, options);
  const [checkpoint, head] = [await projector.checkpoint(), await store.headPosition()];
  if (checkpoint > head) {
    options.log?.('warn', `The read models were ahead of the event log (${checkpoint} > ${head}); rebuilding them from the log.`);
    await rebuildPostgresReadModels({ url: options.url, store });
  }
  projector.start();
  return projector;
}
