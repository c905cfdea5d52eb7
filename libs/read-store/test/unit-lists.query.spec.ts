import { unitRecords, unitVolunteers, volunteerHours } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from './read-model-fixture';

/** 区 d1 > 街道 s1 > 社区 c1, c2; another district x1. */
function story(): TestLog {
  const log = new TestLog();
  log.unit('d1', 'district', '姑苏区');
  log.unit('s1', 'street', '金阊街道', 'd1');
  log.unit('c1', 'community', '桃花坞社区', 's1');
  log.unit('c2', 'community', '毛家桥社区', 's1');
  log.unit('x1', 'district', '相城区');
  log.volunteer('v1', 'c1', { senior: true });
  log.volunteer('v2', 'c1', { partyMember: true });
  log.volunteer('v3', 'c2');
  log.volunteer('v4', 'x1');
  log.volunteer('v5', 's1', { occupation: 'courier' });
  log.record('r1', 'v1', 'c1', '2026-10-01', 120);
  log.record('r2', 'v1', 'c1', '2026-10-03', 30, { status: 'pending', category: 'errand-escort' });
  log.record('r3', 'v2', 'c2', '2026-10-02', 60, { status: 'pending' });
  log.record('r4', 'v3', 'c2', '2026-10-04', 45);
  log.add('ServiceAmended.v1', { recordId: 'r4', volunteerId: 'v3', previousMinutes: 45, minutes: 50, reason: '核对' });
  log.add('ServiceAmended.v1', { recordId: 'r4', volunteerId: 'v3', previousMinutes: 50, minutes: 55, reason: '再核对' });
  log.record('r5', 'v4', 'x1', '2026-10-05', 90, { status: 'pending' });
  log.add('ServiceRejected.v1', { recordId: 'r2', volunteerId: 'v1', reason: '重复' });
  return log;
}

describe.each(READ_STORE_ADAPTERS)('lists of a unit: its volunteers and its records ($name)', (adapter) => {
  let rm: ReadStore;
  const log = story();
  beforeAll(async () => {
    rm = await adapter.open();
    await rm.deliver(log.events);
  });
  afterAll(() => rm.close());

  it('lists the volunteers whose home is in the subtree, with their approved hours', async () => {
    const street = (await unitVolunteers(rm.models, 's1'));
    expect(street.total).toBe(4);
    expect(street.volunteers.map((v) => v.volunteerId).sort()).toEqual(['v1', 'v2', 'v3', 'v5']);
    const c1 = (await unitVolunteers(rm.models, 'c1'));
    expect(c1.volunteers.map((v) => v.volunteerId)).toEqual(['v1', 'v2']);
    expect(c1.volunteers[0]).toMatchObject({ homeOrgUnitName: '桃花坞社区', senior: true, approvedMinutes: 120, approvedHours: 2 });
    expect((await unitVolunteers(rm.models, 'c2')).volunteers[0]).toMatchObject({ volunteerId: 'v3', approvedMinutes: 55 });
    expect((await unitVolunteers(rm.models, 'x1')).volunteers.map((v) => v.volunteerId)).toEqual(['v4']);
  });

  it('searches by name or id and pages, treating % and _ literally', async () => {
    expect((await unitVolunteers(rm.models, 'd1', { q: 'v3' })).volunteers.map((v) => v.volunteerId)).toEqual(['v3']);
    expect((await unitVolunteers(rm.models, 'd1', { q: '志愿者v' })).total).toBe(4);
    expect((await unitVolunteers(rm.models, 'd1', { q: '%' })).total).toBe(0);
    expect((await unitVolunteers(rm.models, 'd1', { q: '_' })).total).toBe(0);
    const page = (await unitVolunteers(rm.models, 'd1', { limit: 2, offset: 2 }));
    expect(page.total).toBe(4);
    expect(page.volunteers).toHaveLength(2);
  });

  it('lists the records organised in the subtree, filtered by status: the approval queue', async () => {
    const pending = (await unitRecords(rm.models, log.reader, 'd1', { status: 'pending' }));
    expect(pending.records.map((r) => r.recordId)).toEqual(['r3']);
    expect(pending.records[0]).toMatchObject({ displayName: '志愿者v2', orgUnitName: '毛家桥社区', minutes: 60, status: 'pending' });
    expect((await unitRecords(rm.models, log.reader, 'c1', { status: 'pending' })).total).toBe(0);
    expect((await unitRecords(rm.models, log.reader, 'c1', { status: 'rejected' })).records.map((r) => r.recordId)).toEqual(['r2']);
    const all = (await unitRecords(rm.models, log.reader, 's1'));
    expect(all.records.map((r) => r.recordId)).toEqual(['r4', 'r2', 'r3', 'r1']);
    expect(all.records[0]).toMatchObject({ minutes: 55, amendments: 2, description: '服务', activityTitle: null, location: null });
    expect((await unitRecords(rm.models, log.reader, 'x1', { status: 'pending' })).records.map((r) => r.recordId)).toEqual(['r5']);
  });

  it('tells a volunteer’s home unit with their hours', async () => {
    expect((await volunteerHours(rm.models, 'v1', [100]))).toMatchObject({ homeOrgUnitId: 'c1', approvedMinutes: 120 });
  });
});
