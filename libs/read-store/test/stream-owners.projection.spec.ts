import { isWithinOrgUnit, streamOwner, subtreeOrgUnitIds, volunteerIdsUnder } from '../src';
import { deliver, freshReadModels, type ReadModels, TestLog } from './read-model-fixture';

describe('stream-owners projection: who owns each stream, for access checks', () => {
  let rm: ReadModels;
  beforeEach(() => (rm = freshReadModels()));
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

  it('knows the unit (and volunteer) of every unit, team, volunteer, activity and record stream', () => {
    rm.runner.applyBatch(world().events);
    expect(streamOwner(rm.db, 'orgunit-jinchang')).toEqual({ orgUnitId: 'jinchang', volunteerId: null });
    expect(streamOwner(rm.db, 'team-t1')).toEqual({ orgUnitId: 'jinchang', volunteerId: null });
    expect(streamOwner(rm.db, 'volunteer-v1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: 'v1' });
    expect(streamOwner(rm.db, 'activity-a1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: null });
    // A record belongs to the unit that organised it, and is about its volunteer (who lives elsewhere).
    expect(streamOwner(rm.db, 'record-r1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: 'v2' });
    expect(streamOwner(rm.db, 'record-nope')).toBeNull();
    expect(streamOwner(rm.db, 'v1')).toBeNull();
  });

  it('answers subtree questions from the closure table', () => {
    rm.runner.applyBatch(world().events);
    expect(isWithinOrgUnit(rm.db, 'gusu', 'taohuawu')).toBe(true);
    expect(isWithinOrgUnit(rm.db, 'taohuawu', 'taohuawu')).toBe(true);
    expect(isWithinOrgUnit(rm.db, 'taohuawu', 'jinchang')).toBe(false);
    expect(isWithinOrgUnit(rm.db, 'xiangcheng', 'taohuawu')).toBe(false);
    expect(isWithinOrgUnit(rm.db, 'gusu', 'nowhere')).toBe(false);
    expect(subtreeOrgUnitIds(rm.db, 'jinchang')).toEqual(['jinchang', 'taohuawu']);
    expect(volunteerIdsUnder(rm.db, 'gusu')).toEqual(['v1']);
  });

  it('moves a volunteer with their home unit, and takes an event delivered twice in its stride', () => {
    const log = world();
    log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v1', homeOrgUnitId: 'xiangcheng' });
    rm.runner.applyBatch(log.events);
    deliver(rm.db, log.events);
    expect(streamOwner(rm.db, 'volunteer-v1')).toEqual({ orgUnitId: 'xiangcheng', volunteerId: 'v1' });
    expect(volunteerIdsUnder(rm.db, 'gusu')).toEqual([]);
    expect(rm.db.prepare('SELECT count(*) AS n FROM stream_owners').get()).toEqual({ n: 9 });
  });
});
