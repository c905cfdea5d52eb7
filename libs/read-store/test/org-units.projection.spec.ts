import { allOrgUnits, orgUnitExists, orgUnitView } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from './read-model-fixture';

describe.each(READ_STORE_ADAPTERS)('org-units projection: the hierarchy and its closure table ($name)', (adapter) => {
  let rm: ReadStore;
  beforeEach(async () => (rm = await adapter.open()));
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

  const closure = (rm: ReadStore) => rm.models.all(`SELECT ka.org_unit_id AS a, kd.org_unit_id AS d, c.depth FROM org_unit_closure c
    JOIN unit_keys ka ON ka.unit_n = c.ancestor_n JOIN unit_keys kd ON kd.unit_n = c.descendant_n ORDER BY a, d`);

  it('keeps one closure row per unit and ancestor, itself at depth 0', async () => {
    await rm.apply(hierarchy().events);
    expect(await closure(rm)).toEqual([
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

  it('shows a unit with its path and children, in registration order', async () => {
    await rm.apply(hierarchy().events);
    expect((await orgUnitView(rm.models, 'taohuawu'))).toMatchObject({
      orgUnitId: 'taohuawu', kind: 'community', kindName: '社区', name: '桃花坞社区', parentId: 'jinchang', childCount: 0, descendantCount: 0,
      path: [{ orgUnitId: 'gusu', name: '姑苏区', kind: 'district' }, { orgUnitId: 'jinchang', name: '金阊街道', kind: 'street' }],
      children: [],
    });
    const gusu = (await orgUnitView(rm.models, 'gusu'))!;
    expect(gusu.path).toEqual([]);
    expect(gusu.descendantCount).toBe(4);
    expect(gusu.children.map((c) => [c.orgUnitId, c.childCount])).toEqual([['canglang', 0], ['jinchang', 2]]);
    expect((await orgUnitView(rm.models, 'nowhere'))).toBeNull();
    expect((await orgUnitExists(rm.models, 'xiangcheng'))).toBe(true);
    expect((await allOrgUnits(rm.models)).map((u) => u.orgUnitId)).toEqual(['gusu', 'canglang', 'jinchang', 'taohuawu', 'maojiaqiao', 'xiangcheng']);
  });

  it('follows renames; the latest wins even when an older rename is delivered again afterwards', async () => {
    const log = hierarchy();
    const first = log.add('OrgUnitRenamed.v1', { orgUnitId: 'canglang', name: '沧浪街道（新）', previousName: '沧浪街道' });
    log.add('OrgUnitRenamed.v1', { orgUnitId: 'canglang', name: '沧浪新城', previousName: '沧浪街道（新）' });
    await rm.apply(log.events);
    await rm.deliver([first]);
    expect((await orgUnitView(rm.models, 'canglang'))!.name).toBe('沧浪新城');
    expect((await orgUnitView(rm.models, 'gusu'))!.children[0].name).toBe('沧浪新城');
  });

  it('delivering every event twice changes nothing', async () => {
    const log = hierarchy();
    log.add('OrgUnitRenamed.v1', { orgUnitId: 'gusu', name: '姑苏区（古城）', previousName: '姑苏区' });
    await rm.apply(log.events);
    const once = await rm.dump();
    await rm.deliver(log.events);
    await rm.deliver(log.events.slice(2));
    expect(await rm.dump()).toEqual(once);
  });
});
