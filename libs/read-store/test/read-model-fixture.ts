import type { RecordedEvent } from '@haitang/event-store';
import type { ProjectionProgress, ReadModels, RecordLog, SqliteProjection } from '../src';
import { postgresAvailable } from '../../../test/support/postgres';
import { postgresReadStore } from './postgres-read-store';
import { sqliteReadStore } from './sqlite-read-store';

/** The stream an event belongs to, as the ledger names them (`record-<id>`, `volunteer-<id>`, …). */
export function streamOf(type: string, data: Record<string, unknown>): string {
  if (type.startsWith('Service')) return `record-${data.recordId as string}`;
  if (type.startsWith('OrgUnit')) return `orgunit-${data.orgUnitId as string}`;
  if ('activityId' in data) return `activity-${data.activityId as string}`;
  if ('volunteerId' in data) return `volunteer-${data.volunteerId as string}`;
  return 's';
}

/** The log of these events as the queries read it (a record's stream). */
export function memoryLog(events: readonly RecordedEvent[]): RecordLog {
  return { readStream: async (streamId: string) => events.filter((e) => e.streamId === streamId) };
}

/** Builds a log of recorded events, positions 1, 2, 3, … */
export class TestLog {
  readonly events: RecordedEvent[] = [];

  /** The log as the queries read it. */
  get reader(): RecordLog {
    return memoryLog(this.events);
  }

  add(type: string, data: Record<string, unknown>, recordedAt = '2026-11-20T02:00:00.000Z'): RecordedEvent {
    const position = this.events.length + 1;
    const event: RecordedEvent = {
      position, streamId: streamOf(type, data), streamVersion: 0, eventId: `e${position}`, type, data,
      metadata: { actor: { id: 'staff-1', role: 'staff', orgUnitId: null } }, recordedAt,
    };
    this.events.push(event);
    return event;
  }

  unit(orgUnitId: string, kind: string, name: string, parentId: string | null = null) {
    return this.add('OrgUnitRegistered.v1', { orgUnitId, kind, name, parentId });
  }

  volunteer(volunteerId: string, homeOrgUnitId: string, attrs: { partyMember?: boolean; senior?: boolean; occupation?: string } = {}, recordedAt?: string) {
    return this.add('VolunteerRegistered.v1', {
      volunteerId, homeOrgUnitId, displayName: `志愿者${volunteerId}`, partyMember: attrs.partyMember ?? false, senior: attrs.senior ?? false,
      occupation: attrs.occupation ?? 'other', personalData: null,
    }, recordedAt);
  }

  activity(activityId: string, orgUnitId: string, startsAt: string, endsAt: string, category = 'environment') {
    return this.add('ActivityPlanned.v1', {
      activityId, orgUnitId, title: `活动${activityId}`, category, location: '社区广场', startsAt, endsAt,
      capacity: null, description: null, personInCharge: '负责人',
    });
  }

  record(recordId: string, volunteerId: string, orgUnitId: string, serviceDate: string, minutes: number,
    options: { category?: string; status?: 'approved' | 'pending'; activityId?: string | null; source?: string } = {}) {
    const status = options.status ?? 'approved';
    return this.add('ServiceRecorded.v1', {
      recordId, volunteerId, orgUnitId, category: options.category ?? 'environment', serviceDate, minutes, status,
      source: options.source ?? (status === 'pending' ? 'self-report' : 'staff'), activityId: options.activityId ?? null,
      activityTitle: null, location: null, personInCharge: null, description: '服务',
    });
  }
}

/**
 * A read store under test, whatever the adapter: its queries, its projection
 * runner, and what a test needs to look inside.
 */
export interface ReadStore {
  /** What the queries read. */
  readonly models: ReadModels;
  /** Applies a batch through the runner: checkpointed, one transaction. False when refused (it starts after a gap). */
  apply(events: readonly RecordedEvent[]): Promise<boolean>;
  /**
   * Delivers events to every projection directly, bypassing the runner's
   * checkpoint (the way a redelivery after a lost commit, or a duplicate from a
   * broker, would reach a projection), in one transaction like the runner.
   */
  deliver(events: readonly RecordedEvent[]): Promise<void>;
  /** Every row of every read-model table but the checkpoints, as sorted JSON lines: comparable across adapters. */
  dump(): Promise<Record<string, string[]>>;
  /** The runner's checkpoint (the lowest position all its projections reached). */
  checkpoint(): Promise<number>;
  /** How far the runner has come, as the HTTP thread sees it (position, ownership epoch). */
  readonly progress: ProjectionProgress;
  /** Closes and opens the same storage again, as a restart would. */
  reopen(): Promise<void>;
  /** Empties every table and moves the checkpoints back to 0 (cheaper than a fresh store, for property tests). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface ReadStoreAdapter {
  readonly name: string;
  /** Fresh, empty read models with these projections (default: all). */
  open(projections?: readonly SqliteProjection[]): Promise<ReadStore>;
}

/** Every adapter the read-store tests run against. */
export const READ_STORE_ADAPTERS: readonly ReadStoreAdapter[] = postgresAvailable ? [sqliteReadStore, postgresReadStore] : [sqliteReadStore];
