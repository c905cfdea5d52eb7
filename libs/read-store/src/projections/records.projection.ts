import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type {
  ServiceAmended, ServiceApproved, ServiceRecorded, ServiceRejected, ServiceRevoked, VolunteerPersonalDataErased,
  VolunteerProfileUpdated, VolunteerRegistered,
} from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * Volunteers and their service records, with every event that touched a record
 * kept as history. Totals are never stored: they are sums over `service_records`,
 * so an amendment or revocation can't leave a stale total behind. The indexes
 * serve the unit reports (records of a unit in a date range, covering) and the
 * activity views (records of an activity); adding an index changes no table
 * shape, so it needs no rebuild.
 */
export const recordsProjection: SqliteProjection = {
  name: 'records',
  version: 1,
  schema: `
    CREATE TABLE IF NOT EXISTS volunteers (
      volunteer_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, home_org_unit_id TEXT NOT NULL,
      party_member INTEGER NOT NULL, senior INTEGER NOT NULL, occupation TEXT NOT NULL,
      personal_data_erased INTEGER NOT NULL DEFAULT 0, registered_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS service_records (
      record_id TEXT PRIMARY KEY, volunteer_id TEXT NOT NULL, org_unit_id TEXT NOT NULL, category TEXT NOT NULL,
      service_date TEXT NOT NULL, minutes INTEGER NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
      activity_id TEXT, activity_title TEXT, location TEXT, description TEXT NOT NULL, recorded_position INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS service_records_by_volunteer ON service_records (volunteer_id, service_date);
    CREATE INDEX IF NOT EXISTS service_records_by_unit ON service_records (org_unit_id, service_date, status, volunteer_id, category, minutes);
    DROP INDEX IF EXISTS service_records_by_activity;
    CREATE INDEX IF NOT EXISTS service_records_by_activity_status ON service_records (activity_id, status, volunteer_id) WHERE activity_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS volunteers_by_home ON volunteers (home_org_unit_id, registered_at);
    CREATE TABLE IF NOT EXISTS record_history (
      position INTEGER PRIMARY KEY, record_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
      actor TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS record_history_by_record ON record_history (record_id, position);
  `,
  handles: new Set([
    'VolunteerRegistered.v1', 'VolunteerProfileUpdated.v1', 'VolunteerPersonalDataErased.v1',
    'ServiceRecorded.v1', 'ServiceApproved.v1', 'ServiceRejected.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    switch (event.type) {
      case 'VolunteerRegistered.v1': {
        const d = event.data as Data<VolunteerRegistered>;
        stmt(db, `INSERT OR IGNORE INTO volunteers VALUES (?, ?, ?, ?, ?, ?, 0, ?)`)
          .run(d.volunteerId, d.displayName, d.homeOrgUnitId, d.partyMember ? 1 : 0, d.senior ? 1 : 0, d.occupation, event.recordedAt);
        return;
      }
      case 'VolunteerProfileUpdated.v1': {
        const d = event.data as Data<VolunteerProfileUpdated>;
        stmt(db, `UPDATE volunteers SET display_name = coalesce(?, display_name), home_org_unit_id = coalesce(?, home_org_unit_id),
          party_member = coalesce(?, party_member), senior = coalesce(?, senior), occupation = coalesce(?, occupation) WHERE volunteer_id = ?`)
          .run(d.displayName ?? null, d.homeOrgUnitId ?? null, d.partyMember === undefined ? null : +d.partyMember,
            d.senior === undefined ? null : +d.senior, d.occupation ?? null, d.volunteerId);
        return;
      }
      case 'VolunteerPersonalDataErased.v1':
        stmt(db, 'UPDATE volunteers SET personal_data_erased = 1 WHERE volunteer_id = ?').run((event.data as Data<VolunteerPersonalDataErased>).volunteerId);
        return;
      case 'ServiceRecorded.v1': {
        const d = event.data as Data<ServiceRecorded>;
        stmt(db, `INSERT OR IGNORE INTO service_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(d.recordId, d.volunteerId, d.orgUnitId, d.category, d.serviceDate, d.minutes, d.status, d.source,
            d.activityId, d.activityTitle, d.location, d.description, event.position);
        break;
      }
      case 'ServiceApproved.v1':
        stmt(db, `UPDATE service_records SET status = 'approved' WHERE record_id = ?`).run((event.data as Data<ServiceApproved>).recordId);
        break;
      case 'ServiceRejected.v1':
        stmt(db, `UPDATE service_records SET status = 'rejected' WHERE record_id = ?`).run((event.data as Data<ServiceRejected>).recordId);
        break;
      case 'ServiceAmended.v1': {
        const d = event.data as Data<ServiceAmended>;
        stmt(db, 'UPDATE service_records SET minutes = ? WHERE record_id = ?').run(d.minutes, d.recordId);
        break;
      }
      case 'ServiceRevoked.v1':
        stmt(db, `UPDATE service_records SET status = 'revoked' WHERE record_id = ?`).run((event.data as Data<ServiceRevoked>).recordId);
        break;
      default:
        return;
    }
    const recordId = (event.data as { recordId: string }).recordId;
    stmt(db, 'INSERT OR IGNORE INTO record_history VALUES (?, ?, ?, ?, ?, ?)')
      .run(event.position, recordId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata.actor ?? null), event.recordedAt);
  },
};
