import { Client, Pool } from 'pg';
import {
  type AppendOptions, type AppendResult, type CommandReceipt, type EventStore, type FollowOptions, type RecordedEvent,
  StoreUnavailableError, type StreamAppend,
} from '../event-store.port';
import { AppendSignal, followLog } from '../follow-log';
import { type GroupLookup, keysOf, planGroup, type PreparedAppend, type StoredEventRef } from './append-plan';
import { migrate } from './migrations';
import { copyField, copyOut } from './copy-out';
import { ADVISORY_CLASS, ADVISORY_LOCKS, clientConfig, isConnectionFailure, isoFromPg, type PostgresConnection } from './pg-connection';
import { EVENT_STORE_MIGRATIONS } from './schema';

/** Channel on which every commit announces the new head, so followers in other processes wake up at once. */
export const EVENTS_CHANNEL = 'haitang_events';

export interface PostgresEventStoreOptions extends PostgresConnection {
  /** Connections for reads (default 4). Appends use one connection of their own. */
  readonly poolSize?: number;
  /** At most this many appends per commit (default 2000). */
  readonly maxGroup?: number;
  /** How long an append waits for another process's commit before answering 503 (default 10 s). */
  readonly lockTimeoutMs?: number;
  /** Test hook: awaited inside each commit transaction, after the rows are written, before COMMIT. */
  readonly beforeCommit?: () => Promise<void>;
}

interface PendingAppend {
  append: PreparedAppend;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface EventRow {
  position: number; stream_id: string; stream_version: number; event_id: string;
  type: string; data: unknown; metadata: Record<string, unknown>; recorded_at: string;
}

const EVENT_COLUMNS = 'position, stream_id, stream_version, event_id, type, data, metadata, recorded_at';

const SQL = {
  // One statement after the lock (so its snapshot sees every earlier commit): the head and
  // everything the group's keys already hold.
  lookup: `SELECT
      (SELECT coalesce(max(position), 0) FROM events) AS head,
      (SELECT json_agg(json_build_array(s, v)) FROM unnest($1::text[]) AS s
         CROSS JOIN LATERAL (SELECT max(stream_version) AS v FROM events WHERE stream_id = s) m WHERE v IS NOT NULL) AS versions,
      (SELECT json_agg(json_build_array(event_id, position, stream_id, stream_version)) FROM events WHERE event_id = ANY($2::text[])) AS events,
      (SELECT json_agg(json_build_array(command_id, fingerprint, result, position)) FROM command_receipts WHERE command_id = ANY($3::text[])) AS receipts`,
  // One statement writes the group: events, receipts, and the wake-up for other processes' followers
  // (delivered only if the transaction commits).
  write: `WITH e AS (
      INSERT INTO events (${EVENT_COLUMNS})
      SELECT p, s, v, i, t, d, m, $3::timestamptz FROM json_to_recordset($1::json) AS x(p bigint, s text, v integer, i text, t text, d json, m json)
    ), r AS (
      INSERT INTO command_receipts (command_id, fingerprint, result, position)
      SELECT c, f, r, p FROM json_to_recordset($2::json) AS y(c text, f text, r json, p bigint)
    )
    SELECT pg_notify('${EVENTS_CHANNEL}', $4)`,
  // LIMIT NULL: no limit.
  readStream: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
  readAll: `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
  // The metadata is parsed on the server, once per row (#>), down to the actor's id: most of a row's bytes
  // and of its parsing otherwise. Then every column is text, split and parsed by replayRow.
  replayAll: (after: number) => `COPY (
      SELECT position, stream_id, stream_version, event_id, type, data, CASE WHEN json_typeof(a) = 'string' THEN a #>> '{}' END, recorded_at
      FROM events, LATERAL (SELECT metadata #> '{actor,id}' AS a) m WHERE position > ${after} ORDER BY position
    ) TO STDOUT`,
  head: 'SELECT coalesce(max(position), 0) AS head FROM events',
  receipt: 'SELECT command_id, fingerprint, result, position FROM command_receipts WHERE command_id = $1',
};

function toRecorded(row: EventRow): RecordedEvent {
  return {
    position: row.position, streamId: row.stream_id, streamVersion: row.stream_version, eventId: row.event_id,
    type: row.type, data: row.data, metadata: row.metadata, recordedAt: row.recorded_at,
  };
}

const NULL_FIELD = '\\N';

/** One row of SQL.replayAll (COPY's text format, without its newline) as the event replayAll hands over. */
function replayRow(row: Buffer): RecordedEvent {
  const f = row.toString('utf8', 0, row.length - 1).split('\t');
  if (f.length !== 8) throw new Error(`A replayed row has ${f.length} fields, not 8`);
  return {
    position: Number(f[0]), streamId: copyField(f[1]), streamVersion: Number(f[2]), eventId: copyField(f[3]), type: copyField(f[4]),
    data: JSON.parse(copyField(f[5])), metadata: f[6] === NULL_FIELD ? {} : { actor: { id: copyField(f[6]) } }, recordedAt: isoFromPg(f[7]),
  };
}

function prepare(streams: readonly StreamAppend[], options: AppendOptions): PreparedAppend {
  return {
    streams: streams.map((s) => ({
      streamId: s.streamId,
      expectedVersion: s.expectedVersion,
      events: s.events.map((e) => ({ eventId: e.eventId, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })),
    })),
    receipt: options.receipt && { ...options.receipt, result: JSON.stringify(options.receipt.result) },
  };
}

function unavailable(error: unknown, message = 'The event store cannot be reached right now.'): unknown {
  return isConnectionFailure(error) ? new StoreUnavailableError(message, error) : error;
}

/**
 * The event store on PostgreSQL.
 *
 * Global order: appends are committed by a writer that holds a transaction-
 * scoped advisory lock (one per database) from before it reads the head until
 * its COMMIT, and assigns positions head+1.. under it. PostgreSQL makes a
 * commit visible before it releases the transaction's locks, so the next
 * writer can only take positions once every lower one is visible: positions
 * are gap-free and become visible strictly in order, and a follower reading
 * "position > N" can never skip an event that a slower transaction commits
 * later. Several processes may append to one database: the lock serializes
 * them. (docs/postgres.md explains why this, and not transaction ids with
 * snapshot xmin, and what it costs.)
 *
 * Group commit: appends that arrive while a commit is under way are queued and
 * written together in the next transaction (four round trips and one WAL flush
 * for the whole group). Each append is decided as if alone (planGroup), so one
 * refused append never fails the others. A promise resolves only after COMMIT
 * returned, with synchronous_commit on.
 *
 * A lost connection (server restarted, backend terminated, network cut) fails
 * the group in flight with StoreUnavailableError (answered 503) and the next
 * group reconnects. A group whose COMMIT was cut off may or may not be stored;
 * a retry with the same command id then answers the stored result.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private writer: Client | null = null;
  private listener: Client | null = null;
  private listenerRetryAt = 0;
  private queue: PendingAppend[] = [];
  private inFlight = false;
  private scheduled = false;
  private readonly appended = new AppendSignal();
  private closed = false;
  private idle: (() => void) | null = null;
  private readonly maxGroup: number;
  /** Group-commit statistics since start: transactions, appends in them, the largest group. */
  readonly groupStats = { groups: 0, appends: 0, largest: 0 };

  private constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = new Pool({ ...clientConfig(options), max: options.poolSize ?? 4, idleTimeoutMillis: 30_000 });
    // An idle pooled connection that breaks is dropped by the pool; the next query opens a new one.
    this.pool.on('error', () => undefined);
    this.maxGroup = options.maxGroup ?? 2000;
  }

  /** Connects, brings the schema up to date (refusing a newer one) and returns the store. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      const client = await store.pool.connect();
      try {
        await migrate(client, 'event-store', EVENT_STORE_MIGRATIONS);
      } finally {
        client.release();
      }
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  append(streams: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The event store is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ append: prepare(streams, options), resolve, reject });
      this.schedule();
    });
  }

  /** From idle, the first group waits for setImmediate, so that appends made in the same turn of the event loop travel together. */
  private schedule(): void {
    if (this.inFlight || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.inFlight && this.queue.length > 0) this.send();
    });
  }

  private send(): void {
    const group = this.queue.splice(0, this.maxGroup);
    this.inFlight = true;
    this.groupStats.groups += 1;
    this.groupStats.appends += group.length;
    this.groupStats.largest = Math.max(this.groupStats.largest, group.length);
    void this.commit(group);
  }

  /**
   * The writer is free again: what queued during that commit is sent now, before the finished group is
   * answered, so the next transaction runs while this thread writes those answers.
   */
  private writerFree(): void {
    this.inFlight = false;
    this.appended.notify();
    if (this.queue.length > 0) this.send();
    else if (!this.scheduled) this.idle?.();
  }

  private async writerClient(): Promise<Client> {
    if (this.writer) return this.writer;
    const client = new Client(clientConfig({ ...this.options, applicationName: `${this.options.applicationName ?? 'haitang'} append` }, {
      lock_timeout: `${this.options.lockTimeoutMs ?? 10_000}ms`,
      // A writer that stalls inside its transaction must not hold the append lock for long.
      idle_in_transaction_session_timeout: '30s',
    }));
    client.on('error', () => {
      if (this.writer === client) this.writer = null;
    });
    await client.connect();
    this.writer = client;
    return client;
  }

  /** Writes one group in one transaction; settles every append of it. */
  private async commit(group: PendingAppend[]): Promise<void> {
    let client: Client | null = null;
    let committing = false;
    let outcomes: ReturnType<typeof planGroup>['outcomes'];
    try {
      client = await this.writerClient();
      const appends = group.map((p) => p.append);
      const keys = keysOf(appends);
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${ADVISORY_CLASS}, ${ADVISORY_LOCKS.append})`);
      const row = (await client.query({ text: SQL.lookup, values: [keys.streamIds, keys.eventIds, keys.commandIds] })).rows[0];
      const plan = planGroup(appends, lookupOf(row));
      if (plan.events.length > 0 || plan.receipts.length > 0) {
        const events = plan.events.map((e) => `{"p":${e.position},"s":${JSON.stringify(e.streamId)},"v":${e.streamVersion},"i":${JSON.stringify(e.eventId)},"t":${JSON.stringify(e.type)},"d":${e.data},"m":${e.metadata}}`);
        const receipts = plan.receipts.map((r) => `{"c":${JSON.stringify(r.commandId)},"f":${JSON.stringify(r.fingerprint)},"r":${r.result},"p":${r.position}}`);
        await client.query({
          text: SQL.write,
          values: [`[${events.join(',')}]`, `[${receipts.join(',')}]`, new Date().toISOString(), String(plan.head)],
        });
      }
      await this.options.beforeCommit?.();
      committing = true;
      await client.query('COMMIT');
      outcomes = plan.outcomes;
    } catch (error) {
      if (client) {
        if (isConnectionFailure(error)) {
          // The connection is gone or unusable: drop it, the next group opens a new one.
          if (this.writer === client) this.writer = null;
          void client.end().catch(() => undefined);
        } else {
          await client.query('ROLLBACK').catch(() => {
            if (this.writer === client) this.writer = null;
            void client!.end().catch(() => undefined);
          });
        }
      }
      // Once COMMIT was sent, only the server's own ERROR answer (a refused commit: rolled back) says the group
      // is not stored; a cut connection, a FATAL termination or any client-side failure leaves it unknown.
      const failure = committing && !refusedByServer(error)
        ? new StoreUnavailableError('The connection to the event store was lost while saving: the change may or may not be recorded. Retry with the same Idempotency-Key.', error, 'unknown')
        : new StoreUnavailableError('The event store could not save the change; nothing was recorded. Please retry.', error);
      this.writerFree();
      for (const pending of group) pending.reject(failure);
      return;
    }
    this.writerFree();
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if ('ok' in outcome) pending.resolve(outcome.ok);
      else pending.reject(outcome.error);
    });
  }

  /**
   * Statements are not named (prepared once per connection) on purpose: a prepared statement's generic
   * plan chosen while the table was nearly empty would stay a sequential scan as the log grows.
   */
  private async read<T>(text: string, values: unknown[]): Promise<T[]> {
    try {
      return (await this.pool.query({ text, values })).rows as T[];
    } catch (error) {
      throw unavailable(error);
    }
  }

  async readStream(streamId: string, fromVersion = 0, limit?: number): Promise<RecordedEvent[]> {
    return (await this.read<EventRow>(SQL.readStream, [streamId, fromVersion, limit ?? null])).map(toRecorded);
  }

  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return (await this.read<EventRow>(SQL.readAll, [after, limit])).map(toRecorded);
  }

  /**
   * The whole log after `after` in one statement (COPY … TO STDOUT on a pooled connection), each row parsed
   * and handed over as it arrives: no pages to ask for, no row-protocol parsing of whole rows, and the
   * metadata reduced to the actor's id by the server (parsing it in node cost more than the data).
   */
  async replayAll(after: number, onEvent: (event: RecordedEvent) => void | Promise<void>): Promise<number> {
    if (!Number.isSafeInteger(after)) throw new TypeError(`replayAll: ${after} is not a position`);
    let client;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    try {
      const rows = await copyOut(client, SQL.replayAll(after), (row) => onEvent(replayRow(row)));
      client.release();
      return rows;
    } catch (error) {
      // A connection that broke, or that streamed rows nobody read, is not given back to the pool.
      client.release(true);
      throw unavailable(error);
    }
  }

  async headPosition(): Promise<number> {
    return (await this.read<{ head: number }>(SQL.head, []))[0].head;
  }

  async getReceipt(commandId: string): Promise<CommandReceipt | undefined> {
    const row = (await this.read<{ command_id: string; fingerprint: string; result: Record<string, unknown>; position: number }>(SQL.receipt, [commandId]))[0];
    return row && { commandId: row.command_id, fingerprint: row.fingerprint, result: row.result, position: row.position };
  }

  follow(after: number, options: FollowOptions = {}): AsyncIterable<RecordedEvent[]> {
    return followLog(this, after, options, (ms, signal) => {
      void this.listen();
      return this.appended.wait(ms, signal);
    });
  }

  /** LISTENs for other processes' commits (best effort: followers poll anyway). */
  private async listen(): Promise<void> {
    if (this.listener || this.closed || Date.now() < this.listenerRetryAt) return;
    this.listenerRetryAt = Date.now() + 1000;
    const client = new Client(clientConfig({ ...this.options, applicationName: `${this.options.applicationName ?? 'haitang'} follow` }));
    this.listener = client;
    client.on('notification', () => this.appended.notify());
    client.on('error', () => {
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) await client.end();
    } catch {
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
    }
  }

  /** Writes what is queued, then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight || this.queue.length > 0 || this.scheduled) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        this.schedule();
      });
      this.idle = null;
    }
    this.appended.notify();
    const listener = this.listener;
    this.listener = null;
    await Promise.all([
      this.writer?.end().catch(() => undefined),
      listener?.end().catch(() => undefined),
      this.pool.end().catch(() => undefined),
    ]);
    this.writer = null;
  }
}

function lookupOf(row: {
  head: number;
  versions: [string, number][] | null;
  events: [string, number, string, number][] | null;
  receipts: [string, string, Record<string, unknown>, number][] | null;
}): GroupLookup {
  return {
    head: row.head,
    versions: new Map(row.versions ?? []),
    events: new Map((row.events ?? []).map(([eventId, position, streamId, streamVersion]): [string, StoredEventRef] => [eventId, { position, streamId, streamVersion }])),
    receipts: new Map((row.receipts ?? []).map(([commandId, fingerprint, result, position]): [string, CommandReceipt] => [commandId, { commandId, fingerprint, result, position }])),
  };
}

/** The server answered the statement with an ERROR (it stays connected, and a failed COMMIT rolled back). */
function refusedByServer(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  return !!e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity === 'ERROR';
}
