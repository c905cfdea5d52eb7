import { Client, Pool } from 'pg';
import {
  type AppendOptions, type AppendResult, type CommandReceipt, type EventStore, type FollowOptions, type RecordedEvent,
  StoreUnavailableError, type StreamAppend,
} from '../event-store.port';
import { AppendSignal, followLog } from '../follow-log';
import { type GroupLookup, type GroupPlan, keysOf, planGroup, type PreparedAppend, type StoredEventRef } from './append-plan';
import { migrate } from './migrations';
import { CopyStream, copyText } from './copy-in';
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
  /** How many streams' versions the writer keeps in memory (default 100,000; see writeGroup). */
  readonly rememberedStreams?: number;
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

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';
/** After an optimistic group met a unique constraint, this many groups are written with the full lookup (see commit). */
const LOOKUP_GROUPS_AFTER_COLLISION = 8;
/** A NUL, or half of a surrogate pair: PostgreSQL's text can hold neither (one would fail the whole group, the other become U+FFFD). */
const NOT_STORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const EVENT_COLUMNS = 'position, stream_id, stream_version, event_id, type, data, metadata, recorded_at';
const EVENT_COPY_COLUMNS = EVENT_COLUMNS.split(', ');
const RECEIPT_COPY_COLUMNS = ['command_id', 'fingerprint', 'result', 'position'];

const SQL = {
  // Opens the transaction, takes the append lock and reads the head, in one round trip (a simple query:
  // each statement runs with its own snapshot, so the last one, after the lock, sees every earlier commit).
  // READ COMMITTED whatever the database's default: the head must be read with a snapshot taken after the lock.
  begin: `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${ADVISORY_CLASS}, ${ADVISORY_LOCKS.append}); SELECT coalesce(max(position), 0) AS head FROM events`,
  // The current version of the streams this process has not seen yet.
  versions: `SELECT s, v FROM unnest($1::text[]) AS s
      CROSS JOIN LATERAL (SELECT max(stream_version) AS v FROM events WHERE stream_id = s) m WHERE v IS NOT NULL`,
  // Everything the group's keys already hold (after the lock, so its snapshot sees every earlier commit).
  lookup: `SELECT
      (SELECT json_agg(json_build_array(s, v)) FROM unnest($1::text[]) AS s
         CROSS JOIN LATERAL (SELECT max(stream_version) AS v FROM events WHERE stream_id = s) m WHERE v IS NOT NULL) AS versions,
      (SELECT json_agg(json_build_array(event_id, position, stream_id, stream_version)) FROM events WHERE event_id = ANY($2::text[])) AS events,
      (SELECT json_agg(json_build_array(command_id, fingerprint, result, position)) FROM command_receipts WHERE command_id = ANY($3::text[])) AS receipts`,
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

/** The ids and names of an append must be storable as text; JSON is (JSON.stringify escapes both). */
function assertStorable(streams: readonly StreamAppend[], options: AppendOptions): void {
  const texts = [options.receipt?.commandId, options.receipt?.fingerprint];
  for (const s of streams) {
    texts.push(s.streamId);
    for (const e of s.events) texts.push(e.eventId, e.type);
  }
  const bad = texts.find((t) => t !== undefined && NOT_STORABLE.test(t));
  if (bad !== undefined) throw new TypeError(`PostgreSQL cannot store ${JSON.stringify(bad)}: it holds a NUL or an unpaired surrogate.`);
}

function prepare(streams: readonly StreamAppend[], options: AppendOptions): PreparedAppend {
  assertStorable(streams, options);
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
 * written together in the next transaction (BEGIN with the lock and the head in
 * one round trip, the events and the receipts by COPY, COMMIT: one WAL flush
 * for the whole group).
 * Each append is decided as if alone (planGroup), so one refused append never
 * fails the others. Stream versions come from memory where this process knows
 * them, and event ids and command ids are left to the unique constraints; when
 * one of those fires, the group is written again after a full lookup
 * (writeGroup). A promise resolves only after COMMIT returned, with
 * synchronous_commit on.
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
  /** Stream versions as this process committed or read them under the lock (see writeGroup). */
  private readonly streamVersions = new Map<string, number>();
  private readonly maxRememberedStreams: number;
  /** The head after this process's last commit: a lower head read later means the database is not the one remembered. */
  private committedHead = 0;
  /** Groups still to be written with the full lookup after an optimistic one met a unique constraint. */
  private lookupGroups = 0;
  /** Optimistic groups that met a unique constraint and were written again after a full lookup. */
  optimisticRetries = 0;

  private constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = new Pool({ ...clientConfig(options), max: options.poolSize ?? 4, idleTimeoutMillis: 30_000 });
    // An idle pooled connection that breaks is dropped by the pool; the next query opens a new one.
    this.pool.on('error', () => undefined);
    this.maxGroup = options.maxGroup ?? 2000;
    this.maxRememberedStreams = options.rememberedStreams ?? 100_000;
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
    let append: PreparedAppend;
    try {
      append = prepare(streams, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ append, resolve, reject });
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
    // A new connection may reach another server (a failover, a restore): nothing remembered is trusted.
    this.streamVersions.clear();
    await client.connect();
    this.writer = client;
    return client;
  }

  /** Writes one group in one transaction; settles every append of it. */
  private async commit(group: PendingAppend[]): Promise<void> {
    let client: Client | null = null;
    let committing = false;
    let outcomes: GroupPlan['outcomes'];
    try {
      client = await this.writerClient();
      const appends = group.map((p) => p.append);
      // Right after a collision (another process is writing the same streams), a few groups go straight to the full lookup.
      const optimistic = this.lookupGroups === 0;
      if (!optimistic) this.lookupGroups -= 1;
      const plan = (await this.writeGroup(client, appends, optimistic)) ?? (await this.writeGroup(client, appends, false))!;
      await this.options.beforeCommit?.();
      committing = true;
      // The wake-up for other processes' followers is delivered only if the transaction commits.
      const wrote = plan.events.length > 0 || plan.receipts.length > 0;
      await client.query(wrote ? `SELECT pg_notify('${EVENTS_CHANNEL}', '${plan.head}'); COMMIT` : 'COMMIT');
      this.remember(plan.events);
      this.committedHead = plan.head;
      outcomes = plan.outcomes;
    } catch (error) {
      // What this process believed about stream versions may be wrong after any failure: forget it.
      this.streamVersions.clear();
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
   * Opens the transaction, takes the append lock, decides the group and writes its rows (COMMIT is the
   * caller's).
   *
   * Optimistic (the usual case): the versions of streams this process has written are taken from memory,
   * and event ids and command ids are not looked up at all; the unique constraints check them while the
   * rows are inserted. If the memory was stale (another process appended to the stream), or an event or
   * command is already stored (a retry), the insert hits a unique constraint: the transaction is rolled
   * back and null returned, and the caller runs the group again, not optimistic: everything looked up
   * first, as planGroup needs to answer retries and refusals exactly. Nothing is refused from memory:
   * a group with any refusal is decided again from the full lookup, in the same transaction. A stream
   * that an append only checks (an expected version, no events) is always looked up: no row of it is
   * written, so no constraint would catch a stale memory. A head lower than after this process's last
   * commit means the database was replaced (a restore): the memory is dropped.
   */
  private async writeGroup(client: Client, appends: PreparedAppend[], optimistic: boolean): Promise<GroupPlan | null> {
    const begun = (await client.query(SQL.begin)) as unknown as { rows: { head: number }[] }[];
    const head = begun[begun.length - 1].rows[0].head;
    if (head < this.committedHead) {
      this.streamVersions.clear();
      optimistic = false;
    }
    this.committedHead = head;
    const keys = keysOf(appends);
    let plan: GroupPlan | null = null;
    if (optimistic) {
      const checkedOnly = new Set<string>();
      for (const append of appends) {
        for (const stream of append.streams) if (stream.events.length === 0 && stream.expectedVersion !== 'any') checkedOnly.add(stream.streamId);
      }
      const versions = new Map<string, number>();
      const unseen: string[] = [];
      for (const streamId of keys.streamIds) {
        const version = checkedOnly.has(streamId) ? undefined : this.streamVersions.get(streamId);
        if (version === undefined) unseen.push(streamId);
        else versions.set(streamId, version);
      }
      if (unseen.length > 0) {
        for (const { s, v } of (await client.query<{ s: string; v: number }>({ text: SQL.versions, values: [unseen] })).rows) {
          versions.set(s, v);
          this.rememberVersion(s, v);
        }
      }
      plan = planGroup(appends, { head, versions, events: new Map(), receipts: new Map() });
      if (plan.outcomes.some((o) => 'error' in o)) {
        plan = null;
        optimistic = false;
      }
    }
    if (!plan) {
      const row = (await client.query({ text: SQL.lookup, values: [keys.streamIds, keys.eventIds, keys.commandIds] })).rows[0];
      const lookup = lookupOf(head, row);
      for (const [streamId, version] of lookup.versions) this.rememberVersion(streamId, version);
      plan = planGroup(appends, lookup);
    }
    try {
      await this.writeRows(client, plan);
    } catch (error) {
      if (!optimistic || (error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      this.optimisticRetries += 1;
      this.lookupGroups = LOOKUP_GROUPS_AFTER_COLLISION;
      await client.query('ROLLBACK');
      return null;
    }
    return plan;
  }

  /**
   * The group's rows, with COPY (the fastest way in: no SQL or JSON for the server to parse per row; JSON
   * text goes into the json columns as appended). The events first, so a unique violation shows there.
   */
  private async writeRows(client: Client, plan: GroupPlan): Promise<void> {
    if (plan.events.length > 0) {
      const recordedAt = new Date().toISOString();
      const events = new CopyStream('events', EVENT_COPY_COLUMNS);
      for (const e of plan.events) {
        events.writeLine(`${e.position}\t${copyText(e.streamId)}\t${e.streamVersion}\t${copyText(e.eventId)}\t${copyText(e.type)}\t${copyText(e.data)}\t${copyText(e.metadata)}\t${recordedAt}\n`);
      }
      await events.open(client).end();
    }
    if (plan.receipts.length > 0) {
      const receipts = new CopyStream('command_receipts', RECEIPT_COPY_COLUMNS);
      for (const r of plan.receipts) receipts.writeLine(`${copyText(r.commandId)}\t${copyText(r.fingerprint)}\t${copyText(r.result)}\t${r.position}\n`);
      await receipts.open(client).end();
    }
  }

  /** After a COMMIT: the streams' new versions. */
  private remember(events: GroupPlan['events']): void {
    for (const event of events) this.rememberVersion(event.streamId, event.streamVersion);
  }

  /** Bounded: past the limit, the oldest entries are forgotten (they are looked up again when next used). */
  private rememberVersion(streamId: string, version: number): void {
    this.streamVersions.delete(streamId);
    this.streamVersions.set(streamId, version);
    if (this.streamVersions.size > this.maxRememberedStreams) {
      for (const oldest of this.streamVersions.keys()) {
        this.streamVersions.delete(oldest);
        if (this.streamVersions.size <= this.maxRememberedStreams * 0.9) break;
      }
    }
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

function lookupOf(head: number, row: {
  versions: [string, number][] | null;
  events: [string, number, string, number][] | null;
  receipts: [string, string, Record<string, unknown>, number][] | null;
}): GroupLookup {
  return {
    head,
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
