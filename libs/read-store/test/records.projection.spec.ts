import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '@haitang/event-store';
import { openReadModels, recordsProjection, SqliteProjectionRunner, volunteerHours, volunteerRecords } from '../src';

let position = 0;
const ev = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  position: ++position, streamId: 's', streamVersion: 0, eventId: `e${position}`, type, data,
  metadata: { actor: { id: 'staff-1', role: 'staff', orgUnitId: 'c1' } }, recordedAt: '2026-11-20T02:00:00.000Z',
});
const recorded = (recordId: string, minutes: number, status: 'approved' | 'pending', serviceDate = '2026-11-18', category = 'digital-inclusion') =>
  ev('ServiceRecorded.v1', { recordId, volunteerId: 'v1', orgUnitId: 'c1', category, serviceDate, minutes, status, source: status === 'pending' ? 'self-report' : 'staff', activityId: null, activityTitle: null, location: null, description: '服务' });

const noStore = {} as EventStore;

describe('records projection: given events, then rows', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-rm-'));
    position = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sums approved and pending minutes apart, and follows approvals, rejections, amendments and revocations', () => {
    const db = openReadModels(join(dir, 'rm.sqlite'));
    const runner = new SqliteProjectionRunner(db, noStore, [recordsProjection]);
    runner.applyBatch([
      ev('VolunteerRegistered.v1', { volunteerId: 'v1', displayName: '赵阿姨', homeOrgUnitId: 'c1', partyMember: true, senior: true, occupation: 'other', personalData: null }),
      recorded('r1', 120, 'approved', '2026-11-18'),
      recorded('r2', 90, 'pending', '2026-11-19', 'errand-escort'),
      recorded('r3', 30, 'pending', '2025-12-31', 'errand-escort'),
      recorded('r4', 45, 'approved', '2025-06-01', 'environment'),
    ]);
    expect(volunteerHours(db, 'v1', [100, 300])).toMatchObject({ approvedMinutes: 165, pendingMinutes: 120, byCategory: { 'digital-inclusion': 120, environment: 45 }, byYear: { 2026: 120, 2025: 45 } });
    runner.applyBatch([
      ev('ServiceApproved.v1', { recordId: 'r2', volunteerId: 'v1', minutes: 90 }),
      ev('ServiceRejected.v1', { recordId: 'r3', volunteerId: 'v1', reason: '重复' }),
      ev('ServiceAmended.v1', { recordId: 'r1', volunteerId: 'v1', previousMinutes: 120, minutes: 100, reason: '核对' }),
      ev('ServiceRevoked.v1', { recordId: 'r4', volunteerId: 'v1', previousStatus: 'approved', minutes: 45, reason: '误录' }),
    ]);
    const hours = volunteerHours(db, 'v1', [100, 300])!;
    expect(hours).toMatchObject({ approvedMinutes: 190, pendingMinutes: 0, byCategory: { 'digital-inclusion': 100, 'errand-escort': 90 }, byYear: { 2026: 190 }, approvedHours: 3.2, starLevel: 0, nextStar: { level: 1, minutesToGo: 6000 - 190 } });
    const r1 = volunteerRecords(db, 'v1').find((r) => r.recordId === 'r1')!;
    expect(r1.history.map((h) => h.type)).toEqual(['ServiceRecorded.v1', 'ServiceAmended.v1']);
    expect(r1.history[1].actor).toEqual({ id: 'staff-1', role: 'staff', orgUnitId: 'c1' });
    expect(volunteerHours(db, 'nobody', [100])).toBeNull();
    db.close();
  });

  it('never counts an event twice, whether redelivered in a later batch or replayed after a restart', () => {
    const file = join(dir, 'rm.sqlite');
    let db = openReadModels(file);
    const events = [
      ev('VolunteerRegistered.v1', { volunteerId: 'v1', displayName: '俞阿姨', homeOrgUnitId: 'c1', partyMember: false, senior: true, occupation: 'other', personalData: null }),
      recorded('r1', 60, 'approved'),
      ev('ServiceAmended.v1', { recordId: 'r1', volunteerId: 'v1', previousMinutes: 60, minutes: 75, reason: '核对' }),
    ];
    let runner = new SqliteProjectionRunner(db, noStore, [recordsProjection]);
    runner.applyBatch(events);
    runner.applyBatch(events);
    runner.applyBatch(events.slice(1));
    db.close();
    db = openReadModels(file);
    runner = new SqliteProjectionRunner(db, noStore, [recordsProjection]);
    expect(runner.position).toBe(3);
    runner.applyBatch(events);
    expect(volunteerHours(db, 'v1', [100])!.approvedMinutes).toBe(75);
    expect(volunteerRecords(db, 'v1')[0].history).toHaveLength(2);
    db.close();
  });
});
