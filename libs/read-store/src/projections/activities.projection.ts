import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import {
  type ActivityCancelled, type ActivityCompleted, type ActivityPlanned, type ActivityRescheduled, type EnrollmentWithdrawn,
  shanghaiDate, type VolunteerCheckedIn, type VolunteerCheckedOut, type VolunteerEnrolled,
} from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * Activities with their roster and attendance. `start_date` and `end_date`
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
  version: 1,
  schema: `
    CREATE TABLE IF NOT EXISTS activities (
      activity_id TEXT PRIMARY KEY, org_unit_id TEXT NOT NULL, title TEXT NOT NULL, category TEXT NOT NULL,
      location TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
      capacity INTEGER, description TEXT, person_in_charge TEXT,
      status TEXT NOT NULL, cancel_reason TEXT, cancelled_at TEXT, completed_at TEXT, beneficiaries INTEGER,
      planned_at TEXT NOT NULL, planned_position INTEGER NOT NULL, window_position INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS activities_by_unit ON activities (org_unit_id, start_date);
    CREATE INDEX IF NOT EXISTS activities_by_start ON activities (start_date);
    CREATE TABLE IF NOT EXISTS activity_roster (
      activity_id TEXT NOT NULL, volunteer_id TEXT NOT NULL,
      enrolled INTEGER NOT NULL, walk_in INTEGER NOT NULL, enrolled_at TEXT NOT NULL, enrolled_position INTEGER NOT NULL,
      withdrawn_at TEXT, withdrawal_reason TEXT, checked_in_at TEXT, checked_out_at TEXT,
      outcome TEXT, credited_minutes INTEGER, last_position INTEGER NOT NULL,
      PRIMARY KEY (activity_id, volunteer_id)
    ) WITHOUT ROWID;
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
        stmt(db, `INSERT OR IGNORE INTO activities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', NULL, NULL, NULL, NULL, ?, ?, ?)`)
          .run(d.activityId, d.orgUnitId, d.title, d.category, d.location, d.startsAt, d.endsAt, shanghaiDate(d.startsAt), shanghaiDate(d.endsAt),
            d.capacity, d.description, d.personInCharge, event.recordedAt, p, p);
        return;
      }
      case 'ActivityRescheduled.v1': {
        const d = event.data as Data<ActivityRescheduled>;
        stmt(db, `UPDATE activities SET starts_at = ?, ends_at = ?, start_date = ?, end_date = ?, window_position = ?
          WHERE activity_id = ? AND window_position < ?`)
          .run(d.startsAt, d.endsAt, shanghaiDate(d.startsAt), shanghaiDate(d.endsAt), p, d.activityId, p);
        return;
      }
      case 'ActivityCancelled.v1': {
        const d = event.data as Data<ActivityCancelled>;
        stmt(db, `UPDATE activities SET status = 'cancelled', cancel_reason = ?, cancelled_at = ? WHERE activity_id = ?`)
          .run(d.reason, event.recordedAt, d.activityId);
        return;
      }
      case 'ActivityCompleted.v1': {
        const d = event.data as Data<ActivityCompleted>;
        stmt(db, `UPDATE activities SET status = 'completed', completed_at = ?, beneficiaries = ? WHERE activity_id = ?`)
          .run(d.completedAt, d.beneficiaries, d.activityId);
        const outcome = stmt(db, 'UPDATE activity_roster SET outcome = ?, credited_minutes = ? WHERE activity_id = ? AND volunteer_id = ?');
        for (const c of d.credited) outcome.run('credited', c.minutes, d.activityId, c.volunteerId);
        for (const n of d.notCredited) outcome.run(n.reason, null, d.activityId, n.volunteerId);
        return;
      }
      case 'VolunteerEnrolled.v1': {
        const d = event.data as Data<VolunteerEnrolled>;
        // A volunteer who withdrew may enroll again: the later enrollment starts afresh.
        stmt(db, `INSERT INTO activity_roster (activity_id, volunteer_id, enrolled, walk_in, enrolled_at, enrolled_position, last_position)
          VALUES (?, ?, 1, ?, ?, ?, ?)
          ON CONFLICT (activity_id, volunteer_id) DO UPDATE SET enrolled = 1, walk_in = excluded.walk_in, enrolled_at = excluded.enrolled_at,
            enrolled_position = excluded.enrolled_position, withdrawn_at = NULL, withdrawal_reason = NULL, checked_in_at = NULL,
            checked_out_at = NULL, last_position = excluded.last_position
          WHERE activity_roster.last_position < excluded.last_position`)
          .run(d.activityId, d.volunteerId, d.walkIn ? 1 : 0, event.recordedAt, p, p);
        return;
      }
      case 'EnrollmentWithdrawn.v1': {
        const d = event.data as Data<EnrollmentWithdrawn>;
        stmt(db, `UPDATE activity_roster SET enrolled = 0, withdrawn_at = ?, withdrawal_reason = ?, last_position = ?
          WHERE activity_id = ? AND volunteer_id = ? AND last_position < ?`)
          .run(event.recordedAt, d.reason, p, d.activityId, d.volunteerId, p);
        return;
      }
      case 'VolunteerCheckedIn.v1': {
        const d = event.data as Data<VolunteerCheckedIn>;
        stmt(db, 'UPDATE activity_roster SET checked_in_at = ?, last_position = ? WHERE activity_id = ? AND volunteer_id = ? AND last_position < ?')
          .run(d.at, p, d.activityId, d.volunteerId, p);
        return;
      }
      case 'VolunteerCheckedOut.v1': {
        const d = event.data as Data<VolunteerCheckedOut>;
        stmt(db, 'UPDATE activity_roster SET checked_out_at = ?, last_position = ? WHERE activity_id = ? AND volunteer_id = ? AND last_position < ?')
          .run(d.at, p, d.activityId, d.volunteerId, p);
        return;
      }
      default:
        return;
    }
  },
};
