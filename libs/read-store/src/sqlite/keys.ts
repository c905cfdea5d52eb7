import type Database from 'better-sqlite3';
import { stmt } from './statements';

/**
 * Integer keys for org units, volunteers and activities. The read models
 * store a small integer (`unit_n`, `volunteer_n`, `activity_n`) wherever one
 * is referenced, so their tables and indexes hold a few bytes instead of a
 * 36-character id, and reports count distinct volunteers over integers.
 * `unit_keys` and `volunteer_keys` map the ids of the log to these numbers;
 * an activity's number is its row in `activities`.
 *
 * Numbers are given in the order the log first mentions an id (the keys
 * projection runs first over every batch; activities are numbered as they
 * are planned), so a rebuild numbers everything exactly as the live
 * projector did, whatever the batches.
 */
export const KEYS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS unit_keys (unit_n INTEGER PRIMARY KEY, org_unit_id TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS volunteer_keys (volunteer_n INTEGER PRIMARY KEY, volunteer_id TEXT NOT NULL UNIQUE);
`;

/**
 * The audit index (audit.projection.ts) numbers what it stores the same way:
 * actors (`actor_keys`), event types (`event_types`) and the streams that have
 * no number of their own (`stream_keys`: teams, and any stream whose creating
 * event was not projected). See `streamKey` for how a stream is numbered.
 */
export const AUDIT_KEYS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS stream_keys (stream_n INTEGER PRIMARY KEY, stream_id TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS actor_keys (actor_n INTEGER PRIMARY KEY, actor_id TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS event_types (type_n INTEGER PRIMARY KEY, type TEXT NOT NULL UNIQUE);
`;

type Kind = 'unit' | 'volunteer' | 'activity' | 'record' | 'stream' | 'actor' | 'type';
type GivenKind = Exclude<Kind, 'activity' | 'record'>;

/** Where each kind of key lives: its table, its number's column and its id's column. */
const KEY_COLUMNS: Record<Kind, readonly [table: string, key: string, id: string]> = {
  unit: ['unit_keys', 'unit_n', 'org_unit_id'],
  volunteer: ['volunteer_keys', 'volunteer_n', 'volunteer_id'],
  activity: ['activities', 'activity_n', 'activity_id'],
  record: ['service_records', 'record_n', 'record_id'],
  stream: ['stream_keys', 'stream_n', 'stream_id'],
  actor: ['actor_keys', 'actor_n', 'actor_id'],
  type: ['event_types', 'type_n', 'type'],
};
const byKind = <K extends Kind>(kinds: readonly K[], sql: (columns: readonly [table: string, key: string, id: string]) => string) =>
  Object.fromEntries(kinds.map((kind) => [kind, sql(KEY_COLUMNS[kind])])) as Record<K, string>;
const GIVEN_KINDS: readonly GivenKind[] = ['unit', 'volunteer', 'stream', 'actor', 'type'];
const FIND = byKind(Object.keys(KEY_COLUMNS) as Kind[], ([table, key, id]) => `SELECT ${key} FROM ${table} WHERE ${id} = ?`);
/** A new key, numbered by SQLite. */
const INSERT = byKind(GIVEN_KINDS, ([table, , id]) => `INSERT INTO ${table} (${id}) VALUES (?)`);

/**
 * Every key of a connection that nobody else writes to (a rebuild's fresh
 * file), kept in memory from its first row on: what is not here does not
 * exist. The live read models are never cached this way: another process's
 * rebuild may replace their tables.
 */
class KeyCache {
  readonly unit = new Map<string, number>();
  readonly volunteer = new Map<string, number>();
  readonly activity = new Map<string, number>();
  readonly record = new Map<string, number>();
  readonly stream = new Map<string, number>();
  readonly actor = new Map<string, number>();
  readonly type = new Map<string, number>();
}
const caches = new WeakMap<Database.Database, KeyCache>();
/** The last connection asked about and its cache (a rebuild asks millions of times about the same one). */
let lastDb: Database.Database | null = null;
let lastCache: KeyCache | undefined;

function cacheOf(db: Database.Database): KeyCache | undefined {
  if (db !== lastDb) {
    lastDb = db;
    lastCache = caches.get(db);
  }
  return lastCache;
}

/**
 * Keeps every key of this connection in memory from now on: only for a new,
 * empty file that no one else writes to. Some are written only at the end, by
 * writeCachedKeys.
 */
export function cacheKeys(db: Database.Database): void {
  caches.set(db, new KeyCache());
  lastDb = null;
}

function find(db: Database.Database, kind: Kind, id: string): number | undefined {
  const cache = cacheOf(db);
  if (cache) return cache[kind].get(id);
  return stmt(db, FIND[kind]).pluck().get(id) as number | undefined;
}

/**
 * Kinds whose rows a connection with cached keys writes only once, at the end
 * (writeCachedKeys): no statement reads these tables during a rebuild, and
 * 100,000 ids inserted in the order of their ids extend their unique index at
 * its end, where inserted as they come they land all over it. Unit keys are
 * joined by statements (figure-changes), event types are few: both are
 * written at once.
 */
const END_KINDS = ['volunteer', 'stream', 'actor'] as const;
const WRITTEN_AT_END: ReadonlySet<GivenKind> = new Set(END_KINDS);

function keyOf(db: Database.Database, kind: GivenKind, id: string): number {
  const key = find(db, kind, id);
  if (key !== undefined) return key;
  const cache = cacheOf(db);
  // A new, empty file (cacheKeys): SQLite would give the next number, the count of those given so far plus one.
  const created = cache && WRITTEN_AT_END.has(kind) ? cache[kind].size + 1 : Number(stmt(db, INSERT[kind]).run(id).lastInsertRowid);
  cache?.[kind].set(id, created);
  return created;
}

/** A key numbered in memory (WRITTEN_AT_END), written with its number. */
const INSERT_KEY = byKind(END_KINDS, ([table, key, id]) => `INSERT INTO ${table} (${key}, ${id}) VALUES (?, ?)`);

/**
 * Writes the keys a connection with cached keys has given but not written yet
 * (see WRITTEN_AT_END), in the order of their ids; a rebuild calls it once,
 * after the replay, in the same transaction. Each table exists by then: the
 * schema of every projection that gives its keys was created.
 */
export function writeCachedKeys(db: Database.Database): void {
  const cache = cacheOf(db);
  if (!cache) return;
  for (const kind of END_KINDS) {
    const keys = [...cache[kind]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const insert = stmt(db, INSERT_KEY[kind]);
    for (const [id, key] of keys) insert.run(key, id);
  }
}

/** The key of an org unit, given now if the unit is new. */
export const unitKey = (db: Database.Database, orgUnitId: string): number => keyOf(db, 'unit', orgUnitId);
/** The key of an org unit, if it has one. */
export const findUnitKey = (db: Database.Database, orgUnitId: string): number | undefined => find(db, 'unit', orgUnitId);
/** The key of a volunteer, given now if the volunteer is new. */
export const volunteerKey = (db: Database.Database, volunteerId: string): number => keyOf(db, 'volunteer', volunteerId);
/** The key of a volunteer, if it has one. */
export const findVolunteerKey = (db: Database.Database, volunteerId: string): number | undefined => find(db, 'volunteer', volunteerId);
/** The key of a planned activity (its row in `activities`), if there is one. */
export const findActivityKey = (db: Database.Database, activityId: string): number | undefined => find(db, 'activity', activityId);

/**
 * The key (`record_n`, `activity_n`) of a service record or activity on a
 * connection that keeps its keys in memory (a rebuild's fresh file), `null`
 * if it has no row there. `undefined` on any other connection: there, one
 * statement by the id is cheaper than finding the key first. A rebuild
 * changes rows by their integer key (a rowid lookup) rather than by their
 * 36-character id (a search of the id's index, a few times slower).
 */
function cachedRowKey(db: Database.Database, kind: RowKind, id: string): number | null | undefined {
  const cache = cacheOf(db);
  return cache ? (cache[kind].get(id) ?? null) : undefined;
}

type RowKind = 'record' | 'activity';
/** One statement on one activity or record, written twice: the row found by its id, and by its integer key. */
export interface RowSql { readonly byId: string; readonly byKey: string }

/** `sql(where)` for a row of `kind`: `where` finds it by its id, or by its integer key. */
export function rowSql(kind: RowKind, sql: (where: string) => string): RowSql {
  const [, key, id] = KEY_COLUMNS[kind];
  return { byId: sql(`${id} = ?`), byKey: sql(`${key} = ?`) };
}

/**
 * The statement of `sql` that reaches the row of `kind` with this id, and its
 * argument for the row: by its integer key where the keys are in memory (a
 * rebuild, see cachedRowKey), else by its id. Null when the rebuild has no
 * such row.
 */
export function onRow(db: Database.Database, kind: RowKind, id: string, sql: RowSql): [Database.Statement, string | number] | null {
  const key = cachedRowKey(db, kind, id);
  if (key === null) return null;
  return key === undefined ? [stmt(db, sql.byId), id] : [stmt(db, sql.byKey), key];
}

/** Whether this connection keeps its keys in memory (see cacheKeys): nobody else writes to it. */
export const keysCached = (db: Database.Database): boolean => cacheOf(db) !== undefined;

/** Records the key a new activity row got (for a connection whose keys are kept in memory). */
export function activityPlanned(db: Database.Database, activityId: string, key: number): void {
  cacheOf(db)?.activity.set(activityId, key);
}

/** Records the key (`record_n`) a new service record row got (for a connection whose keys are kept in memory). */
export function serviceRecorded(db: Database.Database, recordId: string, key: number): void {
  cacheOf(db)?.record.set(recordId, key);
}

/** The key of an account (an event's actor), given now if it is new. */
export const actorKey = (db: Database.Database, actorId: string): number => keyOf(db, 'actor', actorId);
/** The key of an event type, given now if it is new. */
export const eventTypeKey = (db: Database.Database, type: string): number => keyOf(db, 'type', type);

/**
 * Stream keys: one integer per stream, `n * 8 + kind`. A unit's, volunteer's,
 * activity's or record's stream is numbered by the key that unit, volunteer,
 * activity or record already has (kinds 1–4: `unit_n`, `volunteer_n`,
 * `activity_n`, `record_n`), so those streams, nearly all of them, need no
 * table of their own; any other stream (a team's) gets a number in
 * `stream_keys` (kind 0), given in log order. Stream ids are `<kind>-<id>`
 * (domain: orgUnitStream, volunteerStream, …).
 *
 * A stream is numbered by its own key once its creating event is projected,
 * and in a valid log (the deciders' doing) that event is its first. An event
 * of a unit, volunteer, activity or record stream that comes without one (a
 * malformed log) is numbered in `stream_keys` instead; the queries look both up.
 */
export const STREAM_KINDS = { orgunit: 1, volunteer: 2, activity: 3, record: 4 } as const;
export type StreamKind = keyof typeof STREAM_KINDS;
const OWN_KEY: Record<StreamKind, Exclude<Kind, GivenKind> | 'unit' | 'volunteer'> = { orgunit: 'unit', volunteer: 'volunteer', activity: 'activity', record: 'record' };

/** A stream id's kind (when it is one with keys of its own) and the id after the dash. */
export function splitStreamId(streamId: string): { kind: StreamKind; id: string } | null {
  const dash = streamId.indexOf('-');
  const kind = streamId.slice(0, dash) as StreamKind;
  return dash > 0 && Object.hasOwn(STREAM_KINDS, kind) ? { kind, id: streamId.slice(dash + 1) } : null;
}

/** The key of a stream (see STREAM_KINDS), given now in `stream_keys` if it needs one there and has none. */
export function streamKey(db: Database.Database, streamId: string): number {
  return findStreamKey(db, streamId) ?? keyOf(db, 'stream', streamId) * 8;
}

/** The key of a stream, if it has one (its own, or else one in `stream_keys`). */
export function findStreamKey(db: Database.Database, streamId: string): number | undefined {
  const own = splitStreamId(streamId);
  if (own) {
    const key = find(db, OWN_KEY[own.kind], own.id);
    if (key !== undefined) return key * 8 + STREAM_KINDS[own.kind];
  }
  const key = find(db, 'stream', streamId);
  return key === undefined ? undefined : key * 8;
}
