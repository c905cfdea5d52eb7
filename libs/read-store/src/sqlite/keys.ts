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

type Kind = 'unit' | 'volunteer' | 'activity';

const FIND: Record<Kind, string> = {
  unit: 'SELECT unit_n FROM unit_keys WHERE org_unit_id = ?',
  volunteer: 'SELECT volunteer_n FROM volunteer_keys WHERE volunteer_id = ?',
  activity: 'SELECT activity_n FROM activities WHERE activity_id = ?',
};
const INSERT: Record<Exclude<Kind, 'activity'>, string> = {
  unit: 'INSERT INTO unit_keys (org_unit_id) VALUES (?)',
  volunteer: 'INSERT INTO volunteer_keys (volunteer_id) VALUES (?)',
};

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

/** Keeps every key of this connection in memory from now on: only for a new, empty file that no one else writes to. */
export function cacheKeys(db: Database.Database): void {
  caches.set(db, new KeyCache());
  lastDb = null;
}

function find(db: Database.Database, kind: Kind, id: string): number | undefined {
  const cache = cacheOf(db);
  if (cache) return cache[kind].get(id);
  return stmt(db, FIND[kind]).pluck().get(id) as number | undefined;
}

function keyOf(db: Database.Database, kind: Exclude<Kind, 'activity'>, id: string): number {
  const key = find(db, kind, id);
  if (key !== undefined) return key;
  const created = Number(stmt(db, INSERT[kind]).run(id).lastInsertRowid);
  cacheOf(db)?.[kind].set(id, created);
  return created;
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

/** Records the key a new activity row got (for a connection whose keys are kept in memory). */
export function activityPlanned(db: Database.Database, activityId: string, key: number): void {
  cacheOf(db)?.activity.set(activityId, key);
}
