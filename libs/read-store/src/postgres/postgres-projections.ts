import type { RecordedEvent } from '@haitang/event-store';
import { shanghaiDate, volunteerStream } from '@haitang/domain';
import { activitiesProjection } from '../projections/activities.projection';
import { figureChangesProjection } from '../projections/figure-changes.projection';
import { keysProjection } from '../projections/keys.projection';
import { orgUnitsProjection } from '../projections/org-units.projection';
import { recordsProjection } from '../projections/records.projection';
import { ownerOf, streamOwnersProjection } from '../projections/stream-owners.projection';
import { actorIdOf, auditProjection } from '../projections/audit.projection';
import { splitStreamId, STREAM_KINDS } from '../sqlite/keys';
import type { ReadModelBatch, Row } from './read-model-batch';

/**
 * The projections of libs/read-store/src/projections, for PostgreSQL: the same
 * names, versions, event types and rules (statement for statement: an INSERT OR
 * IGNORE inserts only a row that does not exist, an UPDATE … WHERE x < ? changes
 * only when the condition holds), applied to the rows of a ReadModelBatch in
 * memory. The read-store tests run against both and compare their tables.
 */
export interface PostgresProjection {
  readonly name: string;
  readonly version: number;
  readonly handles: ReadonlySet<string>;
  /** Loads the rows the events will read or write. */
  load(batch: ReadModelBatch, events: readonly RecordedEvent[]): Promise<void>;
  apply(batch: ReadModelBatch, event: RecordedEvent): void;
}

type Data = Record<string, any>;
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** Units and volunteers numbered in the order the log first mentions them (see keys.projection.ts); runs first. */
export const keysPgProjection: PostgresProjection = {
  name: keysProjection.name,
  version: keysProjection.version,
  handles: keysProjection.handles,
  async load(batch, events) {
    for (const e of events) {
      const d = e.data as Data;
      batch.unitKeys.want(d.orgUnitId);
      batch.unitKeys.want(d.parentId);
      batch.unitKeys.want(d.homeOrgUnitId);
      batch.volunteerKeys.want(d.volunteerId);
    }
    await batch.load();
  },
  apply(batch, event) {
    const d = event.data as Data;
    switch (event.type) {
      case 'OrgUnitRegistered.v1':
        if (d.parentId) batch.unitKeys.key(d.parentId);
        batch.unitKeys.key(d.orgUnitId);
        return;
      case 'VolunteerRegistered.v1':
        batch.volunteerKeys.key(d.volunteerId);
        batch.unitKeys.key(d.homeOrgUnitId);
        return;
      case 'VolunteerProfileUpdated.v1':
        if (d.homeOrgUnitId) batch.unitKeys.key(d.homeOrgUnitId);
        return;
      case 'ServiceRecorded.v1':
        batch.volunteerKeys.key(d.volunteerId);
        batch.unitKeys.key(d.orgUnitId);
        return;
      case 'ActivityPlanned.v1':
      case 'TeamFormed.v1':
        batch.unitKeys.key(d.orgUnitId);
        return;
      case 'VolunteerEnrolled.v1':
        batch.volunteerKeys.key(d.volunteerId);
        return;
      default:
        return;
    }
  },
};

export const recordsPgProjection: PostgresProjection = {
  name: recordsProjection.name,
  version: recordsProjection.version,
  handles: recordsProjection.handles,
  async load(batch, events) {
    for (const e of events) {
      const d = e.data as Data;
      batch.volunteerKeys.want(d.volunteerId);
      batch.unitKeys.want(d.homeOrgUnitId);
      batch.unitKeys.want(d.orgUnitId);
      if (e.type.startsWith('Service')) batch.records.want(d.recordId);
    }
    await batch.load();
    for (const e of events) {
      if (e.type.startsWith('Volunteer')) batch.volunteers.want(batch.volunteerKeys.find((e.data as Data).volunteerId)!);
    }
    await batch.load();
  },
  apply(batch, event) {
    const d = event.data as Data;
    switch (event.type) {
      case 'VolunteerRegistered.v1': {
        const volunteer = batch.volunteerKeys.key(d.volunteerId);
        const home = batch.unitKeys.key(d.homeOrgUnitId);
        if (!batch.volunteers.get(volunteer)) {
          batch.volunteers.insert({
            volunteer_n: volunteer, display_name: d.displayName, home_unit_n: home, party_member: d.partyMember ? 1 : 0,
            senior: d.senior ? 1 : 0, occupation: d.occupation, personal_data_erased: 0, registered_at: event.recordedAt,
          });
        }
        return;
      }
      case 'VolunteerProfileUpdated.v1': {
        const volunteer = batch.volunteerKeys.find(d.volunteerId);
        if (volunteer === undefined) return;
        const home = d.homeOrgUnitId ? batch.unitKeys.key(d.homeOrgUnitId) : null;
        const row = batch.volunteers.get(volunteer);
        if (!row) return;
        const changes: Row = {};
        if ((d.displayName ?? null) !== null) changes.display_name = d.displayName;
        if (home !== null) changes.home_unit_n = home;
        if (d.partyMember !== undefined) changes.party_member = +d.partyMember;
        if (d.senior !== undefined) changes.senior = +d.senior;
        if ((d.occupation ?? null) !== null) changes.occupation = d.occupation;
        batch.volunteers.update(row, changes);
        return;
      }
      case 'VolunteerPersonalDataErased.v1': {
        const volunteer = batch.volunteerKeys.find(d.volunteerId);
        const row = volunteer === undefined ? undefined : batch.volunteers.get(volunteer);
        if (row) batch.volunteers.update(row, { personal_data_erased: 1 });
        return;
      }
      case 'ServiceRecorded.v1': {
        const volunteer = batch.volunteerKeys.key(d.volunteerId);
        const unit = batch.unitKeys.key(d.orgUnitId);
        if (!batch.records.get(d.recordId)) {
          batch.records.insert({
            record_n: null, record_id: d.recordId, volunteer_n: volunteer, unit_n: unit, category: d.category, service_date: d.serviceDate,
            minutes: d.minutes, status: d.status, source: d.source, activity_id: orNull(d.activityId), recorded_position: event.position,
          });
        }
        return;
      }
      case 'ServiceApproved.v1':
      case 'ServiceRejected.v1':
      case 'ServiceRevoked.v1': {
        const row = batch.records.get(d.recordId);
        const status = event.type === 'ServiceApproved.v1' ? 'approved' : event.type === 'ServiceRejected.v1' ? 'rejected' : 'revoked';
        if (row) batch.records.update(row, { status });
        return;
      }
      case 'ServiceAmended.v1': {
        const row = batch.records.get(d.recordId);
        if (row) batch.records.update(row, { minutes: d.minutes });
        return;
      }
      default:
        return;
    }
  },
};

export const orgUnitsPgProjection: PostgresProjection = {
  name: orgUnitsProjection.name,
  version: orgUnitsProjection.version,
  handles: orgUnitsProjection.handles,
  async load(batch, events) {
    for (const e of events) {
      const d = e.data as Data;
      batch.unitKeys.want(d.orgUnitId);
      batch.unitKeys.want(d.parentId);
    }
    await batch.load();
    for (const e of events) {
      const d = e.data as Data;
      for (const id of [d.orgUnitId, d.parentId]) {
        const unit = batch.unitKeys.find(id);
        if (unit === undefined) continue;
        batch.orgUnits.want(unit);
        batch.closure.want(unit);
      }
    }
    await batch.load();
  },
  apply(batch, event) {
    const d = event.data as Data;
    switch (event.type) {
      case 'OrgUnitRegistered.v1': {
        const parent = d.parentId === null ? null : batch.unitKeys.key(d.parentId);
        const unit = batch.unitKeys.key(d.orgUnitId);
        if (!batch.orgUnits.get(unit)) {
          const parentRow = parent === null ? undefined : batch.orgUnits.get(parent);
          batch.orgUnits.insert({
            unit_n: unit, kind: d.kind, name: d.name, parent_n: parent, depth: parentRow ? (parentRow.depth as number) + 1 : 0,
            registered_at: event.recordedAt, registered_position: event.position, name_position: event.position,
          });
        }
        batch.closure.insertIgnore(unit, d.orgUnitId, unit, 0);
        if (parent !== null) {
          for (const [ancestor, { depth, id }] of [...batch.closure.ancestorsOf(parent)]) batch.closure.insertIgnore(ancestor, id, unit, depth + 1);
        }
        return;
      }
      case 'OrgUnitRenamed.v1': {
        const unit = batch.unitKeys.find(d.orgUnitId);
        const row = unit === undefined ? undefined : batch.orgUnits.get(unit);
        // The latest rename wins even if an older one is delivered again afterwards.
        if (row && (row.name_position as number) < event.position) batch.orgUnits.update(row, { name: d.name, name_position: event.position });
        return;
      }
      default:
        return;
    }
  },
};

const ROSTER_EVENTS = new Set(['VolunteerEnrolled.v1', 'EnrollmentWithdrawn.v1', 'VolunteerCheckedIn.v1', 'VolunteerCheckedOut.v1']);

/** The volunteers whose roster entry an activity event touches. */
const rosterVolunteersOf = (e: RecordedEvent): unknown[] => {
  const d = e.data as Data;
  if (ROSTER_EVENTS.has(e.type)) return [d.volunteerId];
  if (e.type === 'ActivityCompleted.v1') return [...(d.credited ?? []), ...(d.notCredited ?? [])].map((c: Data) => c.volunteerId);
  return [];
};

export const activitiesPgProjection: PostgresProjection = {
  name: activitiesProjection.name,
  version: activitiesProjection.version,
  handles: activitiesProjection.handles,
  async load(batch, events) {
    for (const e of events) {
      const d = e.data as Data;
      batch.activities.want(d.activityId);
      if (e.type === 'ActivityPlanned.v1') batch.unitKeys.want(d.orgUnitId);
      for (const v of rosterVolunteersOf(e)) batch.volunteerKeys.want(v);
    }
    await batch.load();
    // Every roster entry that can exist: an activity and a volunteer that both had a key before this batch.
    for (const e of events) {
      const activity = batch.activities.get((e.data as Data).activityId);
      if (!activity) continue;
      for (const v of rosterVolunteersOf(e)) {
        const volunteer = batch.volunteerKeys.find(v);
        if (volunteer !== undefined) batch.roster.want(activity.activity_n as number, volunteer);
      }
    }
    await batch.load();
  },
  apply(batch, event) {
    const d = event.data as Data;
    const p = event.position;
    /** The roster entry of (activity, volunteer), if both have keys and it exists. */
    const entryOf = (volunteerId: unknown) => {
      const activity = batch.activities.get(d.activityId);
      const volunteer = activity === undefined ? undefined : batch.volunteerKeys.find(volunteerId);
      return volunteer === undefined ? undefined : batch.roster.get(activity!.activity_n as number, volunteer);
    };
    switch (event.type) {
      case 'ActivityPlanned.v1': {
        const unit = batch.unitKeys.key(d.orgUnitId);
        if (!batch.activities.get(d.activityId)) {
          batch.activities.insert({
            activity_n: null, activity_id: d.activityId, unit_n: unit, title: d.title, category: d.category, location: d.location,
            starts_at: d.startsAt, ends_at: d.endsAt, start_date: shanghaiDate(d.startsAt), end_date: shanghaiDate(d.endsAt),
            capacity: orNull(d.capacity), description: orNull(d.description), person_in_charge: orNull(d.personInCharge),
            status: 'planned', cancel_reason: null, cancelled_at: null, completed_at: null, beneficiaries: null,
            planned_at: event.recordedAt, planned_position: p, window_position: p,
          });
        }
        return;
      }
      case 'ActivityRescheduled.v1': {
        const row = batch.activities.get(d.activityId);
        if (row && (row.window_position as number) < p) {
          batch.activities.update(row, { starts_at: d.startsAt, ends_at: d.endsAt, start_date: shanghaiDate(d.startsAt), end_date: shanghaiDate(d.endsAt), window_position: p });
        }
        return;
      }
      case 'ActivityCancelled.v1': {
        const row = batch.activities.get(d.activityId);
        if (row) batch.activities.update(row, { status: 'cancelled', cancel_reason: orNull(d.reason), cancelled_at: event.recordedAt });
        return;
      }
      case 'ActivityCompleted.v1': {
        const row = batch.activities.get(d.activityId);
        if (row) batch.activities.update(row, { status: 'completed', completed_at: orNull(d.completedAt), beneficiaries: orNull(d.beneficiaries) });
        const outcome = (volunteerId: string, value: string, minutes: number | null) => {
          const entry = entryOf(volunteerId);
          if (entry) batch.roster.update(entry, { outcome: value, credited_minutes: minutes });
        };
        for (const c of d.credited) outcome(c.volunteerId, 'credited', c.minutes);
        for (const n of d.notCredited) outcome(n.volunteerId, n.reason, null);
        return;
      }
      case 'VolunteerEnrolled.v1': {
        const activity = batch.activities.get(d.activityId);
        if (!activity) return;
        // A volunteer who withdrew may enroll again: the later enrollment starts afresh.
        const volunteer = batch.volunteerKeys.key(d.volunteerId);
        const entry = batch.roster.get(activity.activity_n as number, volunteer);
        const enrolment = { enrolled: 1, walk_in: d.walkIn ? 1 : 0, enrolled_at: event.recordedAt, enrolled_position: p, withdrawn_at: null,
          withdrawal_reason: null, checked_in_at: null, checked_out_at: null, last_position: p };
        if (!entry) batch.roster.insert({ activity_n: activity.activity_n, volunteer_n: volunteer, ...enrolment, outcome: null, credited_minutes: null });
        else if ((entry.last_position as number) < p) batch.roster.update(entry, enrolment);
        return;
      }
      case 'EnrollmentWithdrawn.v1': {
        const entry = entryOf(d.volunteerId);
        if (entry && (entry.last_position as number) < p) {
          batch.roster.update(entry, { enrolled: 0, withdrawn_at: event.recordedAt, withdrawal_reason: orNull(d.reason), last_position: p });
        }
        return;
      }
      case 'VolunteerCheckedIn.v1':
      case 'VolunteerCheckedOut.v1': {
        const entry = entryOf(d.volunteerId);
        if (entry && (entry.last_position as number) < p) {
          batch.roster.update(entry, event.type === 'VolunteerCheckedIn.v1' ? { checked_in_at: d.at, last_position: p } : { checked_out_at: d.at, last_position: p });
        }
        return;
      }
      default:
        return;
    }
  },
};

const ACTIVITY_EVENTS = new Set(['ActivityCompleted.v1', 'ActivityPlanned.v1', 'ActivityRescheduled.v1', 'ActivityCancelled.v1']);
const EVERYTHING_EVENTS = new Set(['OrgUnitRegistered.v1', 'OrgUnitRenamed.v1', 'VolunteerProfileUpdated.v1']);

/** The unit whose subtree an event's figures belong to (by its key), as the batch's rows hold it. */
function figureUnitOf(batch: ReadModelBatch, e: RecordedEvent): number | undefined {
  const d = e.data as Data;
  if (ACTIVITY_EVENTS.has(e.type)) return batch.activities.get(d.activityId)?.unit_n as number | undefined;
  if (e.type === 'VolunteerRegistered.v1') return batch.unitKeys.find(d.homeOrgUnitId);
  if (e.type === 'ServiceRecorded.v1') return batch.unitKeys.find(d.orgUnitId);
  if (EVERYTHING_EVENTS.has(e.type)) return undefined;
  return batch.records.get(d.recordId)?.unit_n as number | undefined;
}

/** Runs last, on the rows the other projections left in the batch (as SQLite reads them in the same transaction). */
export const figureChangesPgProjection: PostgresProjection = {
  name: figureChangesProjection.name,
  version: figureChangesProjection.version,
  handles: figureChangesProjection.handles,
  async load(batch, events) {
    for (const e of events) {
      const d = e.data as Data;
      if (ACTIVITY_EVENTS.has(e.type)) batch.activities.want(d.activityId);
      else if (e.type === 'VolunteerRegistered.v1') batch.unitKeys.want(d.homeOrgUnitId);
      else if (e.type === 'ServiceRecorded.v1') batch.unitKeys.want(d.orgUnitId);
      else if (!EVERYTHING_EVENTS.has(e.type)) batch.records.want(d.recordId);
    }
    await batch.load();
    for (const e of events) batch.closure.want(figureUnitOf(batch, e));
    await batch.load();
  },
  apply(batch, event) {
    const d = event.data as Data;
    const bumpSubtreeOf = (unit: number | undefined, month: string) => {
      for (const ancestor of batch.closure.ancestorsOf(unit).values()) batch.figures.bump(ancestor.id, month, event.position);
    };
    switch (event.type) {
      case 'ActivityCompleted.v1': {
        const activity = batch.activities.get(d.activityId);
        if (activity) {
          bumpSubtreeOf(activity.unit_n as number, (activity.start_date as string).slice(0, 7));
          bumpSubtreeOf(activity.unit_n as number, 'any');
        }
        return;
      }
      case 'ActivityPlanned.v1':
      case 'ActivityRescheduled.v1':
      case 'ActivityCancelled.v1': {
        const activity = batch.activities.get(d.activityId);
        if (activity) bumpSubtreeOf(activity.unit_n as number, 'any');
        return;
      }
      case 'VolunteerRegistered.v1':
        bumpSubtreeOf(batch.unitKeys.find(d.homeOrgUnitId), shanghaiDate(event.recordedAt).slice(0, 7));
        return;
      case 'OrgUnitRegistered.v1':
      case 'OrgUnitRenamed.v1':
      case 'VolunteerProfileUpdated.v1':
        batch.figures.bump('*', '*', event.position);
        return;
      case 'ServiceRecorded.v1': {
        // A record's unit, day and activity never change after it is recorded: they are the event's own.
        const unit = batch.unitKeys.find(d.orgUnitId);
        bumpSubtreeOf(unit, String(d.serviceDate).slice(0, 7));
        // A record for an activity may take it off the dashboards' overdue list.
        if (d.activityId) bumpSubtreeOf(unit, 'any');
        return;
      }
      default: {
        const record = batch.records.get(d.recordId);
        if (!record) return;
        bumpSubtreeOf(record.unit_n as number, (record.service_date as string).slice(0, 7));
        if (record.activity_id) bumpSubtreeOf(record.unit_n as number, 'any');
      }
    }
  },
};

/** Asks for the rows a stream's own key comes from (see sqlite/keys.ts, streamKey). */
function wantOwnStreamKey(batch: ReadModelBatch, streamId: string): void {
  const own = splitStreamId(streamId);
  if (!own) return;
  if (own.kind === 'orgunit') batch.unitKeys.want(own.id);
  else if (own.kind === 'volunteer') batch.volunteerKeys.want(own.id);
  else if (own.kind === 'activity') batch.activities.want(own.id);
  else batch.records.want(own.id);
}

/** The stream's own key, if its unit, volunteer, activity or record has one. */
function ownStreamKey(batch: ReadModelBatch, streamId: string): number | undefined {
  const own = splitStreamId(streamId);
  if (!own) return undefined;
  const key = own.kind === 'orgunit' ? batch.unitKeys.find(own.id)
    : own.kind === 'volunteer' ? batch.volunteerKeys.find(own.id)
      : own.kind === 'activity' ? batch.activities.get(own.id)?.activity_n as number | undefined
        : batch.records.get(own.id)?.record_n as number | undefined;
  return key === undefined ? undefined : key * 8 + STREAM_KINDS[own.kind];
}

/** Loads what the keys of these streams depend on: first their own keys, then `stream_keys` for those without one. */
async function loadStreamKeys(batch: ReadModelBatch, streamIds: readonly string[]): Promise<void> {
  for (const id of streamIds) wantOwnStreamKey(batch, id);
  await batch.load();
  for (const id of streamIds) if (ownStreamKey(batch, id) === undefined) batch.streamKeys.want(id);
  await batch.load();
}

/** As sqlite/keys.ts findStreamKey. */
function findStreamKey(batch: ReadModelBatch, streamId: string): number | undefined {
  const own = ownStreamKey(batch, streamId);
  if (own !== undefined) return own;
  const key = batch.streamKeys.find(streamId);
  return key === undefined ? undefined : key * 8;
}

/** As sqlite/keys.ts streamKey: given now in `stream_keys` if the stream needs one there and has none. */
const streamKeyOf = (batch: ReadModelBatch, streamId: string): number => findStreamKey(batch, streamId) ?? batch.streamKeys.key(streamId) * 8;

export const streamOwnersPgProjection: PostgresProjection = {
  name: streamOwnersProjection.name,
  version: streamOwnersProjection.version,
  handles: streamOwnersProjection.handles,
  async load(batch, events) {
    const streams: string[] = [];
    for (const e of events) {
      const owner = ownerOf(e);
      const d = e.data as Data;
      if (owner) {
        streams.push(owner.streamId);
        batch.unitKeys.want(owner.orgUnitId);
        batch.volunteerKeys.want(owner.volunteerId);
      } else if (e.type === 'VolunteerProfileUpdated.v1') {
        streams.push(volunteerStream(d.volunteerId));
        batch.unitKeys.want(d.homeOrgUnitId);
      }
    }
    await loadStreamKeys(batch, streams);
    for (const id of streams) {
      const key = findStreamKey(batch, id);
      if (key !== undefined) batch.streamOwners.want(key);
    }
    await batch.load();
  },
  apply(batch, event) {
    const owner = ownerOf(event);
    if (owner) {
      const key = streamKeyOf(batch, owner.streamId);
      const unit = batch.unitKeys.key(owner.orgUnitId);
      const volunteer = owner.volunteerId === null ? null : batch.volunteerKeys.key(owner.volunteerId);
      // INSERT OR IGNORE: the first event that made the stream decides.
      if (!batch.streamOwners.get(key)) batch.streamOwners.insert({ stream_key: key, unit_n: unit, volunteer_n: volunteer });
      return;
    }
    const d = event.data as Data;
    if (event.type === 'VolunteerProfileUpdated.v1' && d.homeOrgUnitId !== undefined) {
      const key = findStreamKey(batch, volunteerStream(d.volunteerId));
      if (key === undefined) return;
      const unit = batch.unitKeys.key(d.homeOrgUnitId);
      const row = batch.streamOwners.get(key);
      if (row) batch.streamOwners.update(row, { unit_n: unit });
    }
  },
};

export const auditPgProjection: PostgresProjection = {
  name: auditProjection.name,
  version: auditProjection.version,
  handles: auditProjection.handles,
  async load(batch, events) {
    for (const e of events) {
      batch.eventTypes.want(e.type);
      batch.actorKeys.want(actorIdOf(e));
    }
    await loadStreamKeys(batch, events.map((e) => e.streamId));
  },
  apply(batch, event) {
    const actor = actorIdOf(event);
    // As the SQLite projection's INSERT OR IGNORE: the keys are given first, the row only if its position is new.
    batch.audit.insert({
      position: event.position, stream_key: streamKeyOf(batch, event.streamId), type_n: batch.eventTypes.key(event.type),
      actor_n: actor === null ? null : batch.actorKeys.key(actor), recorded_at: event.recordedAt,
    });
  },
};

/** Every projection, in the order they are applied (as ALL_PROJECTIONS). */
export const ALL_PG_PROJECTIONS: readonly PostgresProjection[] = [
  keysPgProjection, recordsPgProjection, orgUnitsPgProjection, activitiesPgProjection, auditPgProjection, streamOwnersPgProjection, figureChangesPgProjection,
];

/** The PostgreSQL twins of the given SQLite projections, by name. */
export function pgProjectionsNamed(names: readonly string[]): PostgresProjection[] {
  return names.map((name) => {
    const found = ALL_PG_PROJECTIONS.find((p) => p.name === name);
    if (!found) throw new Error(`No PostgreSQL projection named ${name}`);
    return found;
  });
}
