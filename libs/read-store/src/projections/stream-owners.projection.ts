import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import {
  type ActivityPlanned, activityStream, type OrgUnitRegistered, orgUnitStream, recordStream, type ServiceRecorded, type TeamFormed, teamStream,
  type VolunteerProfileUpdated, type VolunteerRegistered, volunteerStream,
} from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { AUDIT_KEYS_SCHEMA, findStreamKey, KEYS_SCHEMA, streamKey, unitKey, volunteerKey } from '../sqlite/keys';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * Who owns each stream, for access checks and the audit view: the org unit it
 * belongs to (a unit itself, a team's or activity's unit, a volunteer's home
 * unit, a record's organising unit) and the volunteer it is about, if any.
 * Written by the event that creates the stream; a volunteer who moves home
 * moves with it. Stored by integer keys: the stream's (sqlite/keys.ts,
 * `streamKey`), its unit's and its volunteer's.
 */
/**
 * True for an event that gives an existing stream another owner (a volunteer
 * moving home). Org units never move, so the closure table only grows. Caches
 * of owners are dropped when such an event is projected (ProjectionProgress.ownershipEpoch).
 */
export function movesOwnership(event: Pick<RecordedEvent, 'type' | 'data'>): boolean {
  return event.type === 'VolunteerProfileUpdated.v1' && (event.data as Data<VolunteerProfileUpdated>).homeOrgUnitId !== undefined;
}

/** The stream a creating event makes, with its unit and the volunteer it is about (both adapters apply this). */
export function ownerOf(event: Pick<RecordedEvent, 'type' | 'data'>): { streamId: string; orgUnitId: string; volunteerId: string | null } | null {
  switch (event.type) {
    case 'OrgUnitRegistered.v1': {
      const d = event.data as Data<OrgUnitRegistered>;
      return { streamId: orgUnitStream(d.orgUnitId), orgUnitId: d.orgUnitId, volunteerId: null };
    }
    case 'TeamFormed.v1': {
      const d = event.data as Data<TeamFormed>;
      return { streamId: teamStream(d.teamId), orgUnitId: d.orgUnitId, volunteerId: null };
    }
    case 'ActivityPlanned.v1': {
      const d = event.data as Data<ActivityPlanned>;
      return { streamId: activityStream(d.activityId), orgUnitId: d.orgUnitId, volunteerId: null };
    }
    case 'VolunteerRegistered.v1': {
      const d = event.data as Data<VolunteerRegistered>;
      return { streamId: volunteerStream(d.volunteerId), orgUnitId: d.homeOrgUnitId, volunteerId: d.volunteerId };
    }
    case 'ServiceRecorded.v1': {
      const d = event.data as Data<ServiceRecorded>;
      return { streamId: recordStream(d.recordId), orgUnitId: d.orgUnitId, volunteerId: d.volunteerId };
    }
    default:
      return null;
  }
}

export const streamOwnersProjection: SqliteProjection = {
  name: 'stream-owners',
  version: 2,
  schema: `${KEYS_SCHEMA}${AUDIT_KEYS_SCHEMA}
    CREATE TABLE IF NOT EXISTS stream_owners (
      stream_key INTEGER PRIMARY KEY, unit_n INTEGER, volunteer_n INTEGER
    );
  `,
  handles: new Set([
    'OrgUnitRegistered.v1', 'TeamFormed.v1', 'VolunteerRegistered.v1', 'VolunteerProfileUpdated.v1', 'ActivityPlanned.v1', 'ServiceRecorded.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    const own = (streamId: string, orgUnitId: string, volunteerId: string | null = null) =>
      void stmt(db, 'INSERT OR IGNORE INTO stream_owners VALUES (?, ?, ?)')
        .run(streamKey(db, streamId), unitKey(db, orgUnitId), volunteerId === null ? null : volunteerKey(db, volunteerId));
    const owner = ownerOf(event);
    if (owner) return own(owner.streamId, owner.orgUnitId, owner.volunteerId);
    switch (event.type) {
      case 'VolunteerProfileUpdated.v1': {
        const d = event.data as Data<VolunteerProfileUpdated>;
        const stream = d.homeOrgUnitId === undefined ? undefined : findStreamKey(db, volunteerStream(d.volunteerId));
        if (stream !== undefined) stmt(db, 'UPDATE stream_owners SET unit_n = ? WHERE stream_key = ?').run(unitKey(db, d.homeOrgUnitId!), stream);
        return;
      }
      default:
        return;
    }
  },
};
