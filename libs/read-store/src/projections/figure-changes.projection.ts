import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { shanghaiDate } from '@haitang/domain';
import { findUnitKey, keysCached, onRow, rowSql } from '../sqlite/keys';
import { stmt } from '../sqlite/statements';

/**
 * Where the report figures last changed: for every unit and every month, the
 * log position of the last event that changed its subtree's approved minutes
 * or completed activities in that month. A cached report over a range stays
 * exact as long as no (unit, month) of the range changed since it was made,
 * so a report of last year is answered from the cache even while today's
 * records pour in. Changes that touch every report (a new unit, a volunteer's
 * groups) are kept under the unit '*'. Changes that only dashboards show
 * (activities planned, moved or cancelled: the overdue list) are kept under
 * the month 'any' of each unit above, and new volunteers under the month they
 * registered in.
 *
 * Runs after the records, org-unit and activities projections in the same
 * transaction, so it reads the rows they just wrote. Idempotent: positions only grow.
 */
/** Where and when an activity or a record counts: its unit and its date. */
const ACTIVITY_PLACE = rowSql('activity', (where) => `SELECT unit_n, start_date FROM activities WHERE ${where}`);
const RECORD_PLACE = rowSql('record', (where) => `SELECT unit_n, service_date, activity_id FROM service_records WHERE ${where}`);

export const figureChangesProjection: SqliteProjection = {
  name: 'figure-changes',
  version: 1,
  schema: `
    CREATE TABLE IF NOT EXISTS figure_changes (
      unit_id TEXT NOT NULL, month TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (unit_id, month)
    ) WITHOUT ROWID;
  `,
  handles: new Set([
    'ServiceRecorded.v1', 'ServiceApproved.v1', 'ServiceRejected.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1',
    'ActivityCompleted.v1', 'OrgUnitRegistered.v1', 'OrgUnitRenamed.v1', 'VolunteerProfileUpdated.v1',
    'ActivityPlanned.v1', 'ActivityRescheduled.v1', 'ActivityCancelled.v1', 'VolunteerRegistered.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    applyFigureChanges(db, [event]);
  },
  applyBatch: (db, events) => applyFigureChanges(db, events),
};

/**
 * One batch at once: the changes are gathered per (unit, month) first, so each
 * unit's ancestors are looked up once and each (ancestor, month) written once,
 * however many events of the batch touch it. The same rows as event by event:
 * a position only ever replaces a smaller one.
 */
function applyFigureChanges(db: Database.Database, events: readonly RecordedEvent[]): void {
  /** unit key -> month ('YYYY-MM', or 'any') -> the last position that changed it. */
  const changes = new Map<number, Map<string, number>>();
  let everything = 0;
  const bump = (unit: number | undefined, month: string, position: number): void => {
    if (unit === undefined) return;
    let months = changes.get(unit);
    if (!months) changes.set(unit, (months = new Map()));
    if ((months.get(month) ?? 0) < position) months.set(month, position);
  };
  const unitOf = (orgUnitId: string) => findUnitKey(db, orgUnitId);
  // sqlite/keys.ts: onRow.
  const activityOf = (activityId: string) => {
    const row = onRow(db, 'activity', activityId, ACTIVITY_PLACE);
    return row?.[0].get(row[1]) as { unit_n: number; start_date: string } | undefined;
  };
  const recordOf = (recordId: string) => {
    const row = onRow(db, 'record', recordId, RECORD_PLACE);
    return row?.[0].get(row[1]) as { unit_n: number; service_date: string; activity_id: string | null } | undefined;
  };
  for (const event of events) {
    const p = event.position;
    switch (event.type) {
      case 'ActivityCompleted.v1': {
        const activity = activityOf((event.data as { activityId: string }).activityId);
        if (activity) {
          bump(activity.unit_n, activity.start_date.slice(0, 7), p);
          bump(activity.unit_n, 'any', p);
        }
        break;
      }
      case 'ActivityPlanned.v1':
      case 'ActivityRescheduled.v1':
      case 'ActivityCancelled.v1': {
        const activity = activityOf((event.data as { activityId: string }).activityId);
        if (activity) bump(activity.unit_n, 'any', p);
        break;
      }
      case 'VolunteerRegistered.v1':
        bump(unitOf((event.data as { homeOrgUnitId: string }).homeOrgUnitId), shanghaiDate(event.recordedAt).slice(0, 7), p);
        break;
      case 'OrgUnitRegistered.v1':
      case 'OrgUnitRenamed.v1':
      case 'VolunteerProfileUpdated.v1':
        everything = Math.max(everything, p);
        break;
      case 'ServiceRecorded.v1': {
        // A record's unit, day and activity never change after it is recorded: they are the event's own.
        const d = event.data as { orgUnitId: string; serviceDate: string; activityId: string | null };
        const unit = unitOf(d.orgUnitId);
        bump(unit, d.serviceDate.slice(0, 7), p);
        // A record for an activity may take it off the dashboards' overdue list.
        if (d.activityId) bump(unit, 'any', p);
        break;
      }
      default: {
        const record = recordOf((event.data as { recordId: string }).recordId);
        if (!record) break;
        bump(record.unit_n, record.service_date.slice(0, 7), p);
        if (record.activity_id) bump(record.unit_n, 'any', p);
      }
    }
  }
  const upsert = stmt(db, `INSERT INTO figure_changes (unit_id, month, position) VALUES (?, ?, ?)
    ON CONFLICT (unit_id, month) DO UPDATE SET position = max(position, excluded.position)`);
  if (everything > 0) upsert.run('*', '*', everything);
  // Every ancestor gets the latest change of any unit under it, month by month.
  const merged = new Map<string, Map<string, number>>();
  for (const [unit, months] of changes) {
    for (const ancestor of ancestorsOf(db, unit)) {
      let into = merged.get(ancestor);
      if (!into) merged.set(ancestor, (into = new Map()));
      for (const [month, position] of months) if ((into.get(month) ?? 0) < position) into.set(month, position);
    }
  }
  for (const [unitId, months] of merged) for (const [month, position] of months) upsert.run(unitId, month, position);
}

/**
 * The ids of a unit's ancestors, itself included. A unit's closure rows are
 * all written when it is registered (units never move), so where nobody else
 * writes to the file (a rebuild, sqlite/keys.ts: keysCached) they are looked
 * up once per registered unit and kept.
 */
function ancestorsOf(db: Database.Database, unit: number): string[] {
  let kept = keptAncestors.get(db);
  if (!kept && keysCached(db)) keptAncestors.set(db, (kept = new Map()));
  const known = kept?.get(unit);
  if (known) return known;
  const ancestors = stmt(db, `SELECT k.org_unit_id FROM org_unit_closure c JOIN unit_keys k ON k.unit_n = c.ancestor_n
    WHERE c.descendant_n = ?`).pluck().all(unit) as string[];
  // None yet: a unit given a key before it is registered (a malformed log). Asked again next time.
  if (kept && ancestors.length > 0) kept.set(unit, ancestors);
  return ancestors;
}
const keptAncestors = new WeakMap<Database.Database, Map<number, string[]>>();
