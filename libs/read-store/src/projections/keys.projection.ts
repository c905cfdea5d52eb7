import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { KEYS_SCHEMA, unitKey, volunteerKey } from '../sqlite/keys';

/**
 * Gives every org unit and volunteer its integer key (see sqlite/keys.ts) in
 * the order the log first mentions it. It runs first over each batch, so the
 * other projections find every key already given and the numbering never
 * depends on how the log was cut into batches.
 *
 * The events listed are those from which another projection stores a unit or
 * a volunteer; the others only look keys up.
 */
export const keysProjection: SqliteProjection = {
  name: 'keys',
  version: 1,
  schema: KEYS_SCHEMA,
  handles: new Set([
    'OrgUnitRegistered.v1', 'VolunteerRegistered.v1', 'VolunteerProfileUpdated.v1', 'ServiceRecorded.v1', 'ActivityPlanned.v1', 'VolunteerEnrolled.v1',
    'TeamFormed.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    const d = event.data as { orgUnitId?: string; parentId?: string | null; volunteerId?: string; homeOrgUnitId?: string };
    switch (event.type) {
      case 'OrgUnitRegistered.v1':
        if (d.parentId) unitKey(db, d.parentId);
        unitKey(db, d.orgUnitId!);
        return;
      case 'VolunteerRegistered.v1':
        volunteerKey(db, d.volunteerId!);
        unitKey(db, d.homeOrgUnitId!);
        return;
      case 'VolunteerProfileUpdated.v1':
        if (d.homeOrgUnitId) unitKey(db, d.homeOrgUnitId);
        return;
      case 'ServiceRecorded.v1':
        volunteerKey(db, d.volunteerId!);
        unitKey(db, d.orgUnitId!);
        return;
      case 'ActivityPlanned.v1':
      case 'TeamFormed.v1': // its unit: the stream owner (in a valid log, a unit registered before)
        unitKey(db, d.orgUnitId!);
        return;
      case 'VolunteerEnrolled.v1':
        volunteerKey(db, d.volunteerId!);
        return;
      default:
        return;
    }
  },
};
