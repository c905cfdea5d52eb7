import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '@haitang/event-store';
import { ALL_PROJECTIONS, openReadModels, SqliteProjectionRunner } from '../src';

/** Builds a log of recorded events, positions 1, 2, 3, … */
export class TestLog {
  readonly events: RecordedEvent[] = [];

  add(type: string, data: Record<string, unknown>, recordedAt = '2026-11-20T02:00:00.000Z'): RecordedEvent {
    const position = this.events.length + 1;
    const event: RecordedEvent = {
      position, streamId: 's', streamVersion: 0, eventId: `e${position}`, type, data,
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

export interface ReadModels {
  readonly db: Database.Database;
  readonly runner: SqliteProjectionRunner;
  close(): void;
}

/** Fresh read models (every projection) in a SQLite file in a temp dir. */
export function freshReadModels(): ReadModels {
  const dir = mkdtempSync(join(tmpdir(), 'haitang-rm-'));
  const db = openReadModels(join(dir, 'rm.sqlite'));
  const runner = new SqliteProjectionRunner(db, {} as EventStore, ALL_PROJECTIONS);
  return {
    db, runner,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Delivers events to every projection directly, bypassing the runner's
 * checkpoint (the way a redelivery after a lost commit, or a duplicate from a
 * broker, would reach a projection), in one transaction like the runner.
 */
export function deliver(db: Database.Database, events: readonly RecordedEvent[]): void {
  db.transaction(() => {
    for (const projection of ALL_PROJECTIONS) {
      for (const event of events) if (projection.handles.has(event.type)) projection.apply(db, event);
    }
  })();
}

/** Every row of every read-model table, to compare two read stores. */
export function dump(db: Database.Database): Record<string, unknown[]> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'checkpoints' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]));
}
