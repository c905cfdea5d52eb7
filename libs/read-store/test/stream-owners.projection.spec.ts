import { isWithinOrgUnit, streamOwner, subtreeOrgUnitIds, volunteerIdsUnder } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from './read-model-fixture';

describe.each(READ_STORE_ADAPTERS)('stream-owners projection: who owns each stream, for access checks ($name)', (adapter) => {
  let rm: ReadStore;
  beforeEach(async () => (rm = await adapter.open()));
  afterEach(() => rm.close());

  function world(): TestLog {
    const log = new TestLog();
    log.unit('gusu', 'district', '姑苏区');
    log.unit('jinchang', 'street', '金阊街道', 'gusu');
    log.unit('taohuawu', 'community', '桃花坞社区', 'jinchang');
    log.unit('xiangcheng', 'district', '相城区');
    log.volunteer('v1', 'taohuawu');
    log.volunteer('v2', 'xiangcheng');
    log.add('TeamFormed.v1', { teamId: 't1', orgUnitId: 'jinchang', name: '红引擎', kind: 'red-engine' });
    log.activity('a1', 'taohuawu', '2026-11-20T01:00:00.000Z', '2026-11-20T03:00:00.000Z');
    log.record('r1', 'v2', 'taohuawu', '2026-11-20', 60);
    return log;
  }

  it('knows the unit (and volunteer) of every unit, team, volunteer, activity and record stream', async () => {
    await rm.apply(world().events);
    expect(await streamOwner(rm.models, 'orgunit-jinchang')).toEqual({ orgUnitId: 'jinchang', volunteerId: null });
    expect(await streamOwner(rm.models, 'team-t1')).toEqual({ orgUnitId: 'jinchang', volunteerId: null });
    expect(await streamOwner(rm.models, 'volunteer-v1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: 'v1' });
    expect(await streamOwner(rm.models, 'activity-a1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: null });
    // A record belongs to the unit that organised it, and is about its volunteer (who lives elsewhere).
    expect(await streamOwner(rm.models, 'record-r1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: 'v2' });
    expect(await streamOwner(rm.models, 'record-nope')).toBeNull();
    expect(await streamOwner(rm.models, 'v1')).toBeNull();
  });

  it('answers subtree questions from the closure table', async () => {
    await rm.apply(world().events);
    expect(await isWithinOrgUnit(rm.models, 'gusu', 'taohuawu')).toBe(true);
    expect(await isWithinOrgUnit(rm.models, 'taohuawu', 'taohuawu')).toBe(true);
    expect(await isWithinOrgUnit(rm.models, 'taohuawu', 'jinchang')).toBe(false);
    expect(await isWithinOrgUnit(rm.models, 'xiangcheng', 'taohuawu')).toBe(false);
    expect(await isWithinOrgUnit(rm.models, 'gusu', 'nowhere')).toBe(false);
    expect(await subtreeOrgUnitIds(rm.models, 'jinchang')).toEqual(['jinchang', 'taohuawu']);
    expect(await volunteerIdsUnder(rm.models, 'gusu')).toEqual(['v1']);
  });

  it('moves a volunteer with their home unit, and takes an event delivered twice in its stride', async () => {
    const log = world();
    log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v1', homeOrgUnitId: 'xiangcheng' });
    await rm.apply(log.events);
    await rm.deliver(log.events);
    expect(await streamOwner(rm.models, 'volunteer-v1')).toEqual({ orgUnitId: 'xiangcheng', volunteerId: 'v1' });
    expect(await volunteerIdsUnder(rm.models, 'gusu')).toEqual([]);
    expect(await rm.models.get('SELECT count(*) AS n FROM stream_owners')).toEqual({ n: 9 });
  });

  it('moves the ownership epoch on a move home, and only then: what was remembered about owners is dropped exactly when it may be out of date', async () => {
    const log = world();
    const registered = log.events.length;
    log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v1', displayName: '俞阿姨' });
    log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v1', homeOrgUnitId: 'xiangcheng' });
    const epochAfter = async (from: number, to: number) => {
      expect(await rm.apply(log.events.slice(from, to))).toBe(true);
      return rm.progress.ownershipEpoch;
    };
    const start = rm.progress.ownershipEpoch;
    // Registrations, activities, records, a profile change that stays home: owners only get added.
    expect(await epochAfter(0, registered)).toBe(start);
    expect(await epochAfter(registered, registered + 1)).toBe(start);
    expect(await epochAfter(registered + 1, registered + 2)).toBeGreaterThan(start);
    expect(rm.progress.position).toBe(registered + 2);
  });
});
