import { allOrgUnits, orgUnitExists, orgUnitView } from '../src';
import { deliver, dump, freshReadModels, type ReadModels, TestLog } from './read-model-fixture';

describe('org-units projection: the hierarchy and its closure table', () => {
  let rm: ReadModels;
  beforeEach(() => (rm = freshReadModels()));
  afterEach(() => rm.close());

  function hierarchy(): TestLog {
    const log = new TestLog();
    log.unit('gusu', 'district', '姑苏区');
    log.unit('canglang', 'street', '沧浪街道', 'gusu');
    log.unit('jinchang', 'street', '金阊街道', 'gusu');
    log.unit('taohuawu', 'community', '桃花坞社区', 'jinchang');
    log.unit('maojiaqiao', 'community', '毛家桥社区', 'jinchang');
    log.unit('xiangcheng', 'district', '相城区');
    return log;
  }

  const closure = (rm: ReadModels) => rm.db.prepare('SELECT ancestor_id AS a, descendant_id AS d, depth FROM org_unit_closure ORDER BY a, d').all();

  it('keeps one closure row per unit and ancestor, itself at depth 0', () => {
    rm.runner.applyBatch(hierarchy().events);
    expect(closure(rm)).toEqual([
      { a: 'canglang', d: 'canglang', depth: 0 },
      { a: 'gusu', d: 'canglang', depth: 1 },
      { a: 'gusu', d: 'gusu', depth: 0 },
      { a: 'gusu', d: 'jinchang', depth: 1 },
      { a: 'gusu', d: 'maojiaqiao', depth: 2 },
      { a: 'gusu', d: 'taohuawu', depth: 2 },
      { a: 'jinchang', d: 'jinchang', depth: 0 },
      { a: 'jinchang', d: 'maojiaqiao', depth: 1 },
      { a: 'jinchang', d: 'taohuawu', depth: 1 },
      { a: 'maojiaqiao', d: 'maojiaqiao', depth: 0 },
      { a: 'taohuawu', d: 'taohuawu', depth: 0 },
      { a: 'xiangcheng', d: 'xiangcheng', depth: 0 },
    ]);
  });

  it('shows a unit with its path and children, in registration order', () => {
    rm.runner.applyBatch(hierarchy().events);
    expect(orgUnitView(rm.db, 'taohuawu')).toMatchObject({
      orgUnitId: 'taohuawu', kind: 'community', kindName: '社区', name: '桃花坞社区', parentId: 'jinchang', childCount: 0, descendantCount: 0,
      path: [{ orgUnitId: 'gusu', name: '姑苏区', kind: 'district' }, { orgUnitId: 'jinchang', name: '金阊街道', kind: 'street' }],
      children: [],
    });
    const gusu = orgUnitView(rm.db, 'gusu')!;
    expect(gusu.path).toEqual([]);
    expect(gusu.descendantCount).toBe(4);
    expect(gusu.children.map((c) => [c.orgUnitId, c.childCount])).toEqual([['canglang', 0], ['jinchang', 2]]);
    expect(orgUnitView(rm.db, 'nowhere')).toBeNull();
    expect(orgUnitExists(rm.db, 'xiangcheng')).toBe(true);
    expect(allOrgUnits(rm.db).map((u) => u.orgUnitId)).toEqual(['gusu', 'canglang', 'jinchang', 'taohuawu', 'maojiaqiao', 'xiangcheng']);
  });

  it('follows renames; the latest wins even when an older rename is delivered again afterwards', () => {
    const log = hierarchy();
    const first = log.add('OrgUnitRenamed.v1', { orgUnitId: 'canglang', name: '沧浪街道（新）', previousName: '沧浪街道' });
    log.add('OrgUnitRenamed.v1', { orgUnitId: 'canglang', name: '沧浪新城', previousName: '沧浪街道（新）' });
    rm.runner.applyBatch(log.events);
    deliver(rm.db, [first]);
    expect(orgUnitView(rm.db, 'canglang')!.name).toBe('沧浪新城');
    expect(orgUnitView(rm.db, 'gusu')!.children[0].name).toBe('沧浪新城');
  });

  it('delivering every event twice changes nothing', () => {
    const log = hierarchy();
    log.add('OrgUnitRenamed.v1', { orgUnitId: 'gusu', name: '姑苏区（古城）', previousName: '姑苏区' });
    rm.runner.applyBatch(log.events);
    const once = dump(rm.db);
    deliver(rm.db, log.events);
    deliver(rm.db, log.events.slice(2));
    expect(dump(rm.db)).toEqual(once);
  });
});
