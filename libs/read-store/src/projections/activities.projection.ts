import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import {
  type ActivityCancelled, type ActivityCompleted, type ActivityPlanned, type ActivityRescheduled, type EnrollmentWithdrawn,
  shanghaiDate, type VolunteerCheckedIn, type VolunteerCheckedOut, type VolunteerEnrolled,
} from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { activityPlanned, findActivityKey, findVolunteerKey, KEYS_SCHEMA, onRow, type RowSql, rowSql, unitKey, volunteerKey } from '../sqlite/keys';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * Activities with their roster and attendance (units and volunteers by their
 * integer keys, sqlite/keys.ts). `start_date` and `end_date`
 * are the Asia/Shanghai days of the window, for period filters and the
 * "records due within 10 working days" rule. Minutes are not stored here: the
 * minutes an activity credited are its records' (records projection), so an
 * amendment or revocation of a record shows at once.
 *
 * Idempotent under redelivery: inserts are keyed by ids, terminal changes are
 * absolute, and changes that a later event may undo (reschedule, enroll,
 * withdraw, check-in, check-out) carry the position that made them and are
 * applied only by a later position.
 */
export const activitiesProjection: SqliteProjection = {
  name: 'activities',
  version: 2,
  schema: `${KEYS_SCHEMA}
    CREATE TABLE IF NOT EXISTS activities (
      activity_n INTEGER PRIMARY KEY, activity_id TEXT NOT NULL UNIQUE, unit_n INTEGER NOT NULL, title TEXT NOT NULL, category TEXT NOT NULL,
      location TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
      capacity INTEGER, description TEXT, person_in_charge TEXT,
      status TEXT NOT NULL, cancel_reason TEXT, cancelled_at TEXT, completed_at TEXT, beneficiaries INTEGER,
      planned_at TEXT NOT NULL, planned_position INTEGER NOT NULL, window_position INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS activity_roster (
      activity_n INTEGER NOT NULL, volunteer_n INTEGER NOT NULL,
      enrolled INTEGER NOT NULL, walk_in INTEGER NOT NULL, enrolled_at TEXT NOT NULL, enrolled_position INTEGER NOT NULL,
      withdrawn_at TEXT, withdrawal_reason TEXT, checked_in_at TEXT, checked_out_at TEXT,
      outcome TEXT, credited_minutes INTEGER, last_position INTEGER NOT NULL,
      PRIMARY KEY (activity_n, volunteer_n)
    ) WITHOUT ROWID;
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS activities_by_unit ON activities (unit_n, start_date);
    CREATE INDEX IF NOT EXISTS activities_by_start ON activities (start_date);
  `,
  handles: new Set([
    'ActivityPlanned.v1', 'ActivityRescheduled.v1', 'ActivityCancelled.v1', 'VolunteerEnrolled.v1', 'EnrollmentWithdrawn.v1',
    'VolunteerCheckedIn.v1', 'VolunteerCheckedOut.v1', 'ActivityCompleted.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    const p = event.position;
    switch (event.type) {
      case 'ActivityPlanned.v1': {
        const d = event.data as Data<ActivityPlanned>;
        const inserted = stmt(db, `INSERT OR IGNORE INTO activities VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', NULL, NULL, NULL, NULL, ?, ?, ?)`)
          .run(d.activityId, unitKey(db, d.orgUnitId), d.title, d.category, d.location, d.startsAt, d.endsAt, shanghaiDate(d.startsAt), shanghaiDate(d.endsAt),
            d.capacity, d.description, d.personInCharge, event.recordedAt, p, p);
        if (inserted.changes > 0) activityPlanned(db, d.activityId, Number(inserted.lastInsertRowid));
        return;
      }
      case 'ActivityRescheduled.v1': {
        const d = event.data as Data<ActivityRescheduled>;
        changeActivity(db, d.activityId, RESCHEDULE, [d.startsAt, d.endsAt, shanghaiDate(d.startsAt), shanghaiDate(d.endsAt), p], [p]);
        return;
      }
      case 'ActivityCancelled.v1': {
        const d = event.data as Data<ActivityCancelled>;
        changeActivity(db, d.activityId, CANCEL, [d.reason, event.recordedAt]);
        return;
      }
      case 'ActivityCompleted.v1': {
        const d = event.data as Data<ActivityCompleted>;
        changeActivity(db, d.activityId, COMPLETE, [d.completedAt, d.beneficiaries]);
        const outcome = (volunteerId: string, what: string, minutes: number | null) => {
          const entry = rosterEntry(db, d.activityId, volunteerId);
          if (entry) stmt(db, 'UPDATE activity_roster SET outcome = ?, credited_minutes = ? WHERE activity_n = ? AND volunteer_n = ?').run(what, minutes, ...entry);
        };
        for (const c of d.credited) outcome(c.volunteerId, 'credited', c.minutes);
        for (const n of d.notCredited) outcome(n.volunteerId, n.reason, null);
        return;
      }
      case 'VolunteerEnrolled.v1': {
        const d = event.data as Data<VolunteerEnrolled>;
        const activity = findActivityKey(db, d.activityId);
        if (activity === undefined) return;
        // A volunteer who withdrew may enroll again: the later enrollment starts afresh.
        stmt(db, `INSERT INTO activity_roster (activity_n, volunteer_n, enrolled, walk_in, enrolled_at, enrolled_position, last_position)
          VALUES (?, ?, 1, ?, ?, ?, ?)
          ON CONFLICT (activity_n, volunteer_n) DO UPDATE SET enrolled = 1, walk_in = excluded.walk_in, enrolled_at = excluded.enrolled_at,
            enrolled_position = excluded.enrolled_position, withdrawn_at = NULL, withdrawal_reason = NULL, checked_in_at = NULL,
            checked_out_at = NULL, last_position = excluded.last_position
          WHERE activity_roster.last_position < excluded.last_position`)
          .run(activity, volunteerKey(db, d.volunteerId), d.walkIn ? 1 : 0, event.recordedAt, p, p);
        return;
      }
      case 'EnrollmentWithdrawn.v1': {
        const d = event.data as Data<EnrollmentWithdrawn>;
        const entry = rosterEntry(db, d.activityId, d.volunteerId);
        if (!entry) return;
        stmt(db, `UPDATE activity_roster SET enrolled = 0, withdrawn_at = ?, withdrawal_reason = ?, last_position = ?
          WHERE activity_n = ? AND volunteer_n = ? AND last_position < ?`)
          .run(event.recordedAt, d.reason, p, ...entry, p);
        return;
      }
      case 'VolunteerCheckedIn.v1': {
        const d = event.data as Data<VolunteerCheckedIn>;
        const entry = rosterEntry(db, d.activityId, d.volunteerId);
        if (!entry) return;
        stmt(db, 'UPDATE activity_roster SET checked_in_at = ?, last_position = ? WHERE activity_n = ? AND volunteer_n = ? AND last_position < ?')
          .run(d.at, p, ...entry, p);
        return;
      }
      case 'VolunteerCheckedOut.v1': {
        const d = event.data as Data<VolunteerCheckedOut>;
        const entry = rosterEntry(db, d.activityId, d.volunteerId);
        if (!entry) return;
        stmt(db, 'UPDATE activity_roster SET checked_out_at = ?, last_position = ? WHERE activity_n = ? AND volunteer_n = ? AND last_position < ?')
          .run(d.at, p, ...entry, p);
        return;
      }
      default:
        return;
    }
  },
};

/** An UPDATE of one activity, by its id and by its integer key (see changeActivity); `and`: a further condition. */
const activityUpdate = (set: string, and = '') => rowSql('activity', (where) => `UPDATE activities SET ${set} WHERE ${where}${and}`);
const RESCHEDULE = activityUpdate('starts_at = ?, ends_at = ?, start_date = ?, end_date = ?, window_position = ?', ' AND window_position < ?');
const CANCEL = activityUpdate(`status = 'cancelled', cancel_reason = ?, cancelled_at = ?`);
const COMPLETE = activityUpdate(`status = 'completed', completed_at = ?, beneficiaries = ?`);

/** Changes one activity (sqlite/keys.ts: onRow). `values` go to SET, `more` to the further condition. */
function changeActivity(db: Database.Database, activityId: string, update: RowSql, values: unknown[], more: unknown[] = []): void {
  const row = onRow(db, 'activity', activityId, update);
  row?.[0].run(...values, row[1], ...more);
}

/** The roster key (activity, volunteer), if both are known: there can be no roster entry otherwise. */
function rosterEntry(db: Database.Database, activityId: string, volunteerId: string): [number, number] | undefined {
  const activity = findActivityKey(db, activityId);
  const volunteer = activity === undefined ? undefined : findVolunteerKey(db, volunteerId);
  return volunteer === undefined ? undefined : [activity!, volunteer];
}
