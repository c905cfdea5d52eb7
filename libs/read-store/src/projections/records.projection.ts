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

/** The JSON path of `key` (an SQL expression) in an object: quoted, whatever the key holds. */
const at = (key: string) => `'$.' || json_quote(${key})`;

/**
 * A JSON object of minutes by key with one record's minutes added (sign 1) or taken away (sign -1):
 * keys sorted, none at 0, as FROM_RECORDS makes it.
 */
const adjusted = (column: string, key: string, minutes: string) => `(SELECT json_group_object(key, value ORDER BY key) FROM json_each(
  json_set(${column}, ${at(key)}, coalesce(json_extract(${column}, ${at(key)}), 0) + ${minutes})) WHERE value <> 0)`;

/** The SET clause that counts (sign 1) or uncounts (sign -1) one record, `r` (NEW or OLD), in its volunteer's totals. */
const counted = (r: 'NEW' | 'OLD', sign: 1 | -1) => `
  approved_minutes = approved_minutes + CASE WHEN ${r}.status = 'approved' THEN ${sign} * ${r}.minutes ELSE 0 END,
  pending_minutes = pending_minutes + CASE WHEN ${r}.status = 'pending' THEN ${sign} * ${r}.minutes ELSE 0 END,
  approved_by_category = CASE WHEN ${r}.status = 'approved'
    THEN ${adjusted('approved_by_category', `${r}.category`, `${sign} * ${r}.minutes`)} ELSE approved_by_category END,
  approved_by_year = CASE WHEN ${r}.status = 'approved'
    THEN ${adjusted('approved_by_year', `substr(${r}.service_date, 1, 4)`, `${sign} * ${r}.minutes`)} ELSE approved_by_year END`;

const COUNTS = `status IN ('approved', 'pending')`;

/** The SET clause of a volunteer's totals summed from their records: keys sorted, none at 0 (as `adjusted` keeps them). */
const FROM_RECORDS = (volunteer: string) => `
  approved_minutes = (SELECT coalesce(sum(minutes), 0) FROM service_records WHERE volunteer_n = ${volunteer} AND status = 'approved'),
  pending_minutes = (SELECT coalesce(sum(minutes), 0) FROM service_records WHERE volunteer_n = ${volunteer} AND status = 'pending'),
  approved_by_category = (SELECT coalesce(json_group_object(category, minutes ORDER BY category), '{}') FROM (SELECT category, sum(minutes) AS minutes
    FROM service_records WHERE volunteer_n = ${volunteer} AND status = 'approved' GROUP BY category HAVING sum(minutes) <> 0)),
  approved_by_year = (SELECT coalesce(json_group_object(year, minutes ORDER BY year), '{}') FROM (SELECT substr(service_date, 1, 4) AS year,
    sum(minutes) AS minutes FROM service_records WHERE volunteer_n = ${volunteer} AND status = 'approved' GROUP BY year HAVING sum(minutes) <> 0))`;

/**
 * A volunteer's totals, kept by SQLite. The triggers count every change of a
 * record into its volunteer's row, in the statement that changes the record:
 * exact in every transaction, as an index is. Like the query indexes they are
 * created after a rebuild's bulk load (which does not fire them): the first
 * statement fills the totals from the records once, only while the triggers
 * do not exist yet (a new file: nothing to fill; a rebuilt one: every row,
 * 0.5 s for 100,000 volunteers; the condition is constant, so SQLite tests it
 * before touching a row: 2 ms at every later start). A
 * volunteer registered after records of theirs (a log the deciders would not
 * write, but the projections must not miscount it) is filled the same way.
 * A key whose minutes come to 0 is left out (minutes are at least 1, so
 * that is a key with no records left), here and in the PostgreSQL sums.
 */
const VOLUNTEER_TOTALS = `
  UPDATE volunteers SET ${FROM_RECORDS('volunteers.volunteer_n')}
  WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'volunteer_totals_inserted')
    AND EXISTS (SELECT 1 FROM service_records r WHERE r.volunteer_n = volunteers.volunteer_n AND r.${COUNTS});
  CREATE TRIGGER IF NOT EXISTS volunteer_totals_inserted AFTER INSERT ON service_records WHEN NEW.${COUNTS} BEGIN
    UPDATE volunteers SET ${counted('NEW', 1)} WHERE volunteer_n = NEW.volunteer_n;
  END;
  CREATE TRIGGER IF NOT EXISTS volunteer_totals_updated AFTER UPDATE OF volunteer_n, category, service_date, minutes, status ON service_records
  WHEN OLD.${COUNTS} OR NEW.${COUNTS} BEGIN
    UPDATE volunteers SET ${counted('OLD', -1)} WHERE volunteer_n = OLD.volunteer_n AND OLD.${COUNTS};
    UPDATE volunteers SET ${counted('NEW', 1)} WHERE volunteer_n = NEW.volunteer_n AND NEW.${COUNTS};
  END;
  CREATE TRIGGER IF NOT EXISTS volunteer_totals_deleted AFTER DELETE ON service_records WHEN OLD.${COUNTS} BEGIN
    UPDATE volunteers SET ${counted('OLD', -1)} WHERE volunteer_n = OLD.volunteer_n;
  END;
  CREATE TRIGGER IF NOT EXISTS volunteer_totals_registered AFTER INSERT ON volunteers BEGIN
    UPDATE volunteers SET ${FROM_RECORDS('NEW.volunteer_n')} WHERE volunteer_n = NEW.volunteer_n;
  END;
`;

/**
 * Volunteers and their service records as they stand now: what the figures
 * and lists need. A record's texts (activity title, place, description) and
 * its history are not copied here: they are the record's own stream in the
 * log (`record-<id>`), which `volunteerRecords` reads. The projection itself
 * never writes a total: figures are sums over `service_records`. A volunteer's
 * own totals (approved and pending minutes, approved minutes by category and by
 * year: what GET /volunteers/:id/hours answers) are kept next to their row by
 * SQLite, like an index: triggers on `service_records` add and take away each
 * record's minutes in the same statement as the row's change, so an amendment
 * or revocation can't leave a stale total behind (see VOLUNTEER_TOTALS).
 * Volunteers and units are stored by their integer keys (sqlite/keys.ts).
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
  version: 3,
  schema: `${KEYS_SCHEMA}
    CREATE TABLE IF NOT EXISTS volunteers (
      volunteer_n INTEGER PRIMARY KEY, display_name TEXT NOT NULL, home_unit_n INTEGER NOT NULL,
      party_member INTEGER NOT NULL, senior INTEGER NOT NULL, occupation TEXT NOT NULL,
      personal_data_erased INTEGER NOT NULL DEFAULT 0, registered_at TEXT NOT NULL,
      approved_minutes INTEGER NOT NULL DEFAULT 0, pending_minutes INTEGER NOT NULL DEFAULT 0,
      approved_by_category TEXT NOT NULL DEFAULT '{}', approved_by_year TEXT NOT NULL DEFAULT '{}'
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
    ${VOLUNTEER_TOTALS}
  `,
  handles: new Set([
    'VolunteerRegistered.v1', 'VolunteerProfileUpdated.v1', 'VolunteerPersonalDataErased.v1',
    'ServiceRecorded.v1', 'ServiceApproved.v1', 'ServiceRejected.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    switch (event.type) {
      case 'VolunteerRegistered.v1': {
        const d = event.data as Data<VolunteerRegistered>;
        stmt(db, `INSERT OR IGNORE INTO volunteers (volunteer_n, display_name, home_unit_n, party_member, senior, occupation, registered_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`)
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
