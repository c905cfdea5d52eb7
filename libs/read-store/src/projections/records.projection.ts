import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type {
  ServiceAmended, ServiceApproved, ServiceRecorded, ServiceRejected, ServiceRevoked, VolunteerPersonalDataErased,
  VolunteerProfileUpdated, VolunteerRegistered,
} from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { findVolunteerKey, KEYS_SCHEMA, onRow, type RowSql, rowSql, serviceRecorded, unitKey, volunteerKey } from '../sqlite/keys';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * Volunteers and their service records as they stand now: what the figures
 * and lists need. A record's texts (activity title, place, description) and
 * its history are not copied here: they are the record's own stream in the
 * log (`record-<id>`), which `volunteerRecords` reads. Totals are never stored:
 * they are sums over `service_records`, so an amendment or revocation can't
 * leave a stale total behind. Volunteers and units are stored by their
 * integer keys (sqlite/keys.ts).
 *
 * The indexes are the reports' pre-aggregation: `service_records_approved`
 * holds exactly the approved records, narrow and ordered by unit and day,
 * so a report over a range is one index range per unit, and SQLite keeps it
 * exact in the same transaction as the row; `service_records_by_unit` (narrow)
 * serves the lists of a unit's records whatever their status. Adding an index changes no table
 * shape, so it needs no rebuild.
 */
export const recordsProjection: SqliteProjection = {
  name: 'records',
  version: 2,
  schema: `${KEYS_SCHEMA}
    CREATE TABLE IF NOT EXISTS volunteers (
      volunteer_n INTEGER PRIMARY KEY, display_name TEXT NOT NULL, home_unit_n INTEGER NOT NULL,
      party_member INTEGER NOT NULL, senior INTEGER NOT NULL, occupation TEXT NOT NULL,
      personal_data_erased INTEGER NOT NULL DEFAULT 0, registered_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS service_records (
      record_n INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, volunteer_n INTEGER NOT NULL, unit_n INTEGER NOT NULL,
      category TEXT NOT NULL, service_date TEXT NOT NULL, minutes INTEGER NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
      activity_id TEXT, recorded_position INTEGER NOT NULL
    );
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS service_records_by_volunteer ON service_records (volunteer_n, status, service_date, category, minutes);
    CREATE INDEX IF NOT EXISTS service_records_approved ON service_records (unit_n, service_date, volunteer_n, category, minutes)
      WHERE status = 'approved';
    CREATE INDEX IF NOT EXISTS service_records_pending ON service_records (unit_n, service_date, category, minutes) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS service_records_by_unit ON service_records (unit_n, service_date);
    CREATE INDEX IF NOT EXISTS service_records_by_activity ON service_records (activity_id, status, volunteer_n, minutes) WHERE activity_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS volunteers_by_home ON volunteers (home_unit_n, registered_at);
  `,
  handles: new Set([
    'VolunteerRegistered.v1', 'VolunteerProfileUpdated.v1', 'VolunteerPersonalDataErased.v1',
    'ServiceRecorded.v1', 'ServiceApproved.v1', 'ServiceRejected.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    switch (event.type) {
      case 'VolunteerRegistered.v1': {
        const d = event.data as Data<VolunteerRegistered>;
        stmt(db, 'INSERT OR IGNORE INTO volunteers VALUES (?, ?, ?, ?, ?, ?, 0, ?)')
          .run(volunteerKey(db, d.volunteerId), d.displayName, unitKey(db, d.homeOrgUnitId), d.partyMember ? 1 : 0, d.senior ? 1 : 0, d.occupation, event.recordedAt);
        return;
      }
      case 'VolunteerProfileUpdated.v1': {
        const d = event.data as Data<VolunteerProfileUpdated>;
        const volunteer = findVolunteerKey(db, d.volunteerId);
        if (volunteer === undefined) return;
        stmt(db, `UPDATE volunteers SET display_name = coalesce(?, display_name), home_unit_n = coalesce(?, home_unit_n),
          party_member = coalesce(?, party_member), senior = coalesce(?, senior), occupation = coalesce(?, occupation) WHERE volunteer_n = ?`)
          .run(d.displayName ?? null, d.homeOrgUnitId ? unitKey(db, d.homeOrgUnitId) : null, d.partyMember === undefined ? null : +d.partyMember,
            d.senior === undefined ? null : +d.senior, d.occupation ?? null, volunteer);
        return;
      }
      case 'VolunteerPersonalDataErased.v1': {
        const volunteer = findVolunteerKey(db, (event.data as Data<VolunteerPersonalDataErased>).volunteerId);
        if (volunteer !== undefined) stmt(db, 'UPDATE volunteers SET personal_data_erased = 1 WHERE volunteer_n = ?').run(volunteer);
        return;
      }
      case 'ServiceRecorded.v1': {
        const d = event.data as Data<ServiceRecorded>;
        const inserted = stmt(db, `INSERT OR IGNORE INTO service_records (record_id, volunteer_n, unit_n, category, service_date, minutes, status, source,
          activity_id, recorded_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(d.recordId, volunteerKey(db, d.volunteerId), unitKey(db, d.orgUnitId), d.category, d.serviceDate, d.minutes, d.status, d.source,
            d.activityId, event.position);
        if (inserted.changes > 0) serviceRecorded(db, d.recordId, Number(inserted.lastInsertRowid));
        return;
      }
      case 'ServiceApproved.v1':
        changeRecord(db, (event.data as Data<ServiceApproved>).recordId, SET_APPROVED);
        return;
      case 'ServiceRejected.v1':
        changeRecord(db, (event.data as Data<ServiceRejected>).recordId, SET_REJECTED);
        return;
      case 'ServiceAmended.v1': {
        const d = event.data as Data<ServiceAmended>;
        changeRecord(db, d.recordId, SET_MINUTES, d.minutes);
        return;
      }
      case 'ServiceRevoked.v1':
        changeRecord(db, (event.data as Data<ServiceRevoked>).recordId, SET_REVOKED);
        return;
      default:
        return;
    }
  },
};

/** An UPDATE of one service record, by its id and by its integer key (see changeRecord). */
const recordUpdate = (set: string) => rowSql('record', (where) => `UPDATE service_records SET ${set} WHERE ${where}`);
const SET_APPROVED = recordUpdate(`status = 'approved'`);
const SET_REJECTED = recordUpdate(`status = 'rejected'`);
const SET_REVOKED = recordUpdate(`status = 'revoked'`);
const SET_MINUTES = recordUpdate('minutes = ?');

/** Changes one service record (sqlite/keys.ts: onRow). */
function changeRecord(db: Database.Database, recordId: string, update: RowSql, ...values: unknown[]): void {
  const row = onRow(db, 'record', recordId, update);
  row?.[0].run(...values, row[1]);
}
