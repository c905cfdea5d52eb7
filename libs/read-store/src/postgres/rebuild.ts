import { Client } from 'pg';
import { clientConfig, CopyStream, type EventStore, migrate, type PostgresConnection, readToHead, type RecordedEvent } from '@haitang/event-store';
import type { RebuildProgress } from '../sqlite/rebuild';
import { ALL_PG_PROJECTIONS, type PostgresProjection } from './postgres-projections';
import { applyInMemory, PostgresProjector, type PostgresProjectorOptions } from './postgres-projector';
import { ReadModelBatch, RebuildMemory } from './read-model-batch';
import { migrateReadStore } from './postgres-read-models';
import { READ_STORE_MIGRATIONS, READ_STORE_TABLE_NAMES } from './schema';

/**
 * Events per batch: of the replay (small, so that the events of a batch are garbage before they get old:
 * with 20,000 the replay spent a fifth of its time collecting them), and of the catch-up's reads.
 */
const batchSizeOf = (options: { batchSize?: number }) => options.batchSize ?? 1000;

/** The URL of the same database with `schema` first on the search path. */
function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  const own = u.searchParams.get('options');
  u.searchParams.set('options', `${own ? `${own} ` : ''}-c search_path=${schema}`);
  return u.toString();
}

/**
 * Rebuilds the PostgreSQL read models from the log: replays it from position
 * zero into fresh tables in a schema of their own (the same projections, their
 * rows in memory: see replayInMemory), then swaps them for the live tables in
 * ONE transaction (DROP the live table, ALTER TABLE … SET SCHEMA the fresh one)
 * and moves the checkpoints. Queries see the old figures until that commit and
 * the new ones after; a running projector notices that the checkpoints moved
 * and carries on from them.
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
    const target = await options.store.headPosition();
    options.onProgress?.({ projected: 0, target });
    const replay = await replayInMemory({ ...options, url: inSchema(options.url, fresh) }, options.store, projections, batchSizeOf(options), (p) => {
      options.onProgress?.({ projected: p, target: Math.max(target, p) });
    });
    let { position, events } = replay;
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
    return { events, position, seconds: (Date.now() - started) / 1000, indexSeconds: replay.indexSeconds, swapSeconds: (Date.now() - swapStarted) / 1000 };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

const AUDIT_COLUMNS = ['position', 'stream_key', 'type_n', 'actor_n', 'recorded_at'];

/**
 * The tables whose keys and indexes stay while they fill: the audit index,
 * copied in while the log is replayed, when the server has a core to spare
 * while node replays (on a machine of its own); built by sorting afterwards,
 * its three indexes were the longest part of the end of the rebuild, with
 * nothing to overlap them.
 */
const INDEXED_WHILE_FILLED: readonly string[] = ['audit_log'];

/**
 * Creates the fresh tables on `client` (search path: the fresh schema) as
 * migrateReadStore creates them, and their checkpoint rows as a projector
 * does, then drops every index of the tables filled at the end, even the keys'
 * (every row is written once, by COPY, so nothing can conflict). Returns, by
 * table, the statements that build its keys and indexes again. Nothing here
 * waits for the disk (the client's commits are asynchronous): the schema is
 * thrown away if the rebuild fails, and the swap's own commit is synchronous.
 */
async function freshTables(client: Client, projections: readonly PostgresProjection[]): Promise<Map<string, string[]>> {
  await migrate(client, 'read-store', READ_STORE_MIGRATIONS);
  await client.query(`INSERT INTO checkpoints (projection, version, position) SELECT name, version, 0 FROM unnest($1::text[], $2::int[]) AS p(name, version)`,
    [projections.map((p) => p.name), projections.map((p) => p.version)]);
  const tables = READ_STORE_TABLE_NAMES.filter((t) => !INDEXED_WHILE_FILLED.includes(t));
  const keys = (await client.query<{ table: string; name: string; def: string }>(
    `SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
      WHERE k.connamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u') AND c.relname = ANY($1::text[])`, [tables],
  )).rows;
  const indexes = (await client.query<{ table: string; name: string; sql: string }>(
    `SELECT tablename AS table, indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = format('%I.%I', schemaname, indexname)::regclass)`, [tables],
  )).rows;
  await client.query(['BEGIN', ...indexes.map(({ name }) => `DROP INDEX ${name}`), ...keys.map(({ table, name }) => `ALTER TABLE ${table} DROP CONSTRAINT ${name}`), 'COMMIT'].join(';\n'));
  const ddl = new Map<string, string[]>();
  const ddlOf = (table: string) => ddl.get(table) ?? ddl.set(table, []).get(table)!;
  for (const { table, name, def } of keys) ddlOf(table).push(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${def}`);
  for (const { table, sql } of indexes) ddlOf(table).push(sql);
  return ddl;
}

/**
 * The replay of a rebuild, on two connections to the fresh schema (`connection`):
 *
 * - The fresh tables are made without indexes (freshTables).
 * - The log is read in one pass (the store's replayAll: for PostgreSQL one
 *   COPY … TO STDOUT; else pages of readAll, the next read while one is
 *   applied) and applied in batches as it arrives, by the same projections on
 *   a ReadModelBatch whose rows are the RebuildMemory (the whole state of the
 *   fresh tables, in memory): no batch waits for a query.
 * - The audit index goes into a COPY on the first connection as it is made,
 *   its indexes with it, so the server takes it in while node replays; the
 *   other tables are written once at the end, with one COPY each, on the
 *   second connection.
 * - Each of those tables' keys and indexes are built as soon as its rows are
 *   in, on whichever connection is free: the server builds two at a time while
 *   node still writes the next tables.
 *
 * The tables are logged from the start (COPY writes the WAL once, as it goes,
 * rather than SET LOGGED rewriting every table at the end), and nothing needs
 * one transaction: the fresh schema is seen by no one until the swap, and is
 * dropped if the rebuild fails. Returns the last position replayed, the number
 * of events, and how long the end took once every table was handed to COPY.
 */
async function replayInMemory(
  connection: PostgresConnection, store: EventStore, projections: readonly PostgresProjection[], batchSize: number,
  onBatch: (position: number) => void,
): Promise<{ position: number; events: number; indexSeconds: number }> {
  const clients = [0, 1].map(() => new Client(clientConfig({ ...connection, applicationName: 'haitang rebuild' }, { synchronous_commit: 'off' })));
  for (const client of clients) client.on('error', () => undefined);
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const [auditClient, tablesClient] = clients;
    const ddl = await freshTables(auditClient, projections);
    const memory = new RebuildMemory(new CopyStream('audit_log', AUDIT_COLUMNS).open(auditClient));
    const batch = new ReadModelBatch(tablesClient, memory);
    let pending: RecordedEvent[] = [];
    let position = 0;
    let events = 0;
    const apply = () => {
      if (pending.length === 0) return;
      applyInMemory(batch, projections, pending);
      position = pending[pending.length - 1].position;
      events += pending.length;
      pending = [];
      onBatch(position);
    };
    // After each batch: if the audit COPY's connection has fallen behind, the log's reading waits for it
    // (replayAll pauses its socket), so the audit rows never pile up in memory.
    const push = (event: RecordedEvent): Promise<void> | undefined => {
      pending.push(event);
      if (pending.length < batchSize) return undefined;
      apply();
      return memory.audit.drained() ?? undefined;
    };
    if (store.replayAll) await store.replayAll(0, push);
    else {
      for await (const page of readToHead(store, 0, batchSize)) {
        for (const event of page) {
          const wait = push(event);
          if (wait) await wait;
        }
      }
    }
    apply();
    const audit = memory.audit.end();
    audit.catch(() => undefined); // awaited below, after writeAll: a failure meanwhile must not go unhandled
    const tables = await memory.writeAll(tablesClient);
    const indexing = Date.now();
    // In the order the tables are written; each connection starts once its own COPYs are done.
    const written = new Map([['audit_log', audit], ...tables]);
    const work = [...new Set([...written.keys(), ...ddl.keys()])].map((table) => ({ ready: written.get(table), statements: ddl.get(table) ?? [] }));
    const build = async (client: Client, own: readonly Promise<number>[]) => {
      await Promise.all(own);
      for (let task = work.shift(); task; task = work.shift()) {
        await task.ready;
        for (const sql of task.statements) await client.query(sql);
      }
    };
    await Promise.all([build(auditClient, [audit]), build(tablesClient, [...tables.values()])]);
    await tablesClient.query('UPDATE checkpoints SET position = $2 WHERE projection = ANY($1::text[])', [projections.map((p) => p.name), position]);
    return { position, events, indexSeconds: (Date.now() - indexing) / 1000 };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
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
