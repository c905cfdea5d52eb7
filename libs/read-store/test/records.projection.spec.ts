import type { RecordedEvent } from '@haitang/event-store';
import { orgUnitsProjection, type RecordLog, recordsProjection, volunteerHours, volunteerRecords } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, streamOf } from './read-model-fixture';

let position = 0;
/** Every event made so far: the log the queries read a record's texts and history from. */
let made: RecordedEvent[] = [];
const log: RecordLog = { readStream: async (streamId) => made.filter((e) => e.streamId === streamId) };
const ev = (type: string, data: Record<string, unknown>): RecordedEvent => {
  const event = {
    position: ++position, streamId: streamOf(type, data), streamVersion: 0, eventId: `e${position}`, type, data,
    metadata: { actor: { id: 'staff-1', role: 'staff', orgUnitId: 'c1' } }, recordedAt: '2026-11-20T02:00:00.000Z',
  };
  made.push(event);
  return event;
};
const recorded = (recordId: string, minutes: number, status: 'approved' | 'pending', serviceDate = '2026-11-18', category = 'digital-inclusion') =>
  ev('ServiceRecorded.v1', { recordId, volunteerId: 'v1', orgUnitId: 'c1', category, serviceDate, minutes, status, source: status === 'pending' ? 'self-report' : 'staff', activityId: null, activityTitle: null, location: null, description: '服务' });


describe.each(READ_STORE_ADAPTERS)('records projection: given events, then rows ($name)', (adapter) => {
  let rm: ReadStore;
  beforeEach(async () => {
    position = 0;
    made = [];
    // The hours name the home unit: its table comes with the org-units projection.
    rm = await adapter.open([recordsProjection, orgUnitsProjection]);
  });
  afterEach(() => rm.close());

  it('sums approved and pending minutes apart, and follows approvals, rejections, amendments and revocations', async () => {
    await rm.apply([
      ev('VolunteerRegistered.v1', { volunteerId: 'v1', displayName: '赵阿姨', homeOrgUnitId: 'c1', partyMember: true, senior: true, occupation: 'other', personalData: null }),
      recorded('r1', 120, 'approved', '2026-11-18'),
      recorded('r2', 90, 'pending', '2026-11-19', 'errand-escort'),
      recorded('r3', 30, 'pending', '2025-12-31', 'errand-escort'),
      recorded('r4', 45, 'approved', '2025-06-01', 'environment'),
    ]);
    expect(await volunteerHours(rm.models, 'v1', [100, 300])).toMatchObject({ approvedMinutes: 165, pendingMinutes: 120, byCategory: { 'digital-inclusion': 120, environment: 45 }, byYear: { 2026: 120, 2025: 45 } });
    await rm.apply([
      ev('ServiceApproved.v1', { recordId: 'r2', volunteerId: 'v1', minutes: 90 }),
      ev('ServiceRejected.v1', { recordId: 'r3', volunteerId: 'v1', reason: '重复' }),
      ev('ServiceAmended.v1', { recordId: 'r1', volunteerId: 'v1', previousMinutes: 120, minutes: 100, reason: '核对' }),
      ev('ServiceRevoked.v1', { recordId: 'r4', volunteerId: 'v1', previousStatus: 'approved', minutes: 45, reason: '误录' }),
    ]);
    const hours = (await volunteerHours(rm.models, 'v1', [100, 300]))!;
    expect(hours).toMatchObject({ approvedMinutes: 190, pendingMinutes: 0, byCategory: { 'digital-inclusion': 100, 'errand-escort': 90 }, byYear: { 2026: 190 }, approvedHours: 3.2, starLevel: 0, nextStar: { level: 1, minutesToGo: 6000 - 190 } });
    const records = await volunteerRecords(rm.models, log, 'v1');
    expect(records.map((r) => [r.recordId, r.status, r.minutes])).toEqual([
      ['r2', 'approved', 90], ['r1', 'approved', 100], ['r3', 'rejected', 30], ['r4', 'revoked', 45],
    ]);
    const r1 = records.find((r) => r.recordId === 'r1')!;
    expect(r1).toMatchObject({ description: '服务', activityId: null, activityTitle: null, location: null, orgUnitId: 'c1', serviceDate: '2026-11-18', category: 'digital-inclusion' });
    expect(r1.history.map((h) => h.type)).toEqual(['ServiceRecorded.v1', 'ServiceAmended.v1']);
    expect(r1.history[1]).toMatchObject({ position: 8, data: { previousMinutes: 120, minutes: 100, reason: '核对' }, actor: { id: 'staff-1', role: 'staff', orgUnitId: 'c1' } });
    expect(await volunteerHours(rm.models, 'nobody', [100])).toBeNull();
  });

  it('counts a category whatever characters it holds (the deciders allow only codes, the projections take any log)', async () => {
    await rm.apply([
      ev('VolunteerRegistered.v1', { volunteerId: 'v1', displayName: '赵阿姨', homeOrgUnitId: 'c1', partyMember: false, senior: false, occupation: 'other', personalData: null }),
      recorded('r1', 20, 'approved', '2026-11-18', 'a"b.c[0]'),
      recorded('r2', 30, 'approved', '2026-11-18', 'a"b.c[0]'),
      recorded('r3', 40, 'approved', '2026-11-18', '$'),
    ]);
    await rm.apply([ev('ServiceRevoked.v1', { recordId: 'r3', volunteerId: 'v1', previousStatus: 'approved', minutes: 40, reason: '误录' })]);
    const { approvedMinutes, byCategory } = (await volunteerHours(rm.models, 'v1', [100]))!;
    expect({ approvedMinutes, byCategory }).toEqual({ approvedMinutes: 50, byCategory: { 'a"b.c[0]': 50 } });
  });

  it('never counts an event twice, whether redelivered in a later batch or replayed after a restart', async () => {
    const events = [
      ev('VolunteerRegistered.v1', { volunteerId: 'v1', displayName: '俞阿姨', homeOrgUnitId: 'c1', partyMember: false, senior: true, occupation: 'other', personalData: null }),
      recorded('r1', 60, 'approved'),
      ev('ServiceAmended.v1', { recordId: 'r1', volunteerId: 'v1', previousMinutes: 60, minutes: 75, reason: '核对' }),
    ];
    await rm.apply(events);
    await rm.apply(events);
    await rm.apply(events.slice(1));
    await rm.reopen();
    expect(await rm.checkpoint()).toBe(3);
    await rm.apply(events);
    expect((await volunteerHours(rm.models, 'v1', [100]))!.approvedMinutes).toBe(75);
    expect((await volunteerRecords(rm.models, log, 'v1'))[0].history).toHaveLength(2);
  });

  it('shows a record’s history (its stream in the log) only as far as the read models have counted it', async () => {
    await rm.apply([recorded('r1', 60, 'pending')]);
    // Approved in the log, not yet projected: the record still shows pending, and so does its history.
    const approved = ev('ServiceApproved.v1', { recordId: 'r1', volunteerId: 'v1', minutes: 60 });
    let [r1] = await volunteerRecords(rm.models, log, 'v1');
    expect([r1.status, r1.history.map((h) => h.type)]).toEqual(['pending', ['ServiceRecorded.v1']]);
    await rm.apply([approved]);
    [r1] = await volunteerRecords(rm.models, log, 'v1');
    expect([r1.status, r1.history.map((h) => h.type)]).toEqual(['approved', ['ServiceRecorded.v1', 'ServiceApproved.v1']]);
  });
});
