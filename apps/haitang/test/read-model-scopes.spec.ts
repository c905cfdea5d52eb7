import type { AccountStore } from '@haitang/auth';
import type { EventStore } from '@haitang/event-store';
import type { ReadModels } from '@haitang/read-store';
import { ReadModelScopes } from '../src/access/read-model-scopes';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from '../../../libs/read-store/test/read-model-fixture';

/**
 * The scope directory remembers owners and subtree answers (every command asks
 * them); these tests check that what it answers from memory is always what the
 * read models answer, across a volunteer moving home.
 */
describe.each(READ_STORE_ADAPTERS)('read-model scopes: remembered answers stay exact ($name)', (adapter) => {
  let rm: ReadStore;
  let scopes: ReadModelScopes;
  const log = new TestLog();
  log.unit('gusu', 'district', '姑苏区');
  log.unit('taohuawu', 'community', '桃花坞社区', 'gusu');
  log.unit('xiangcheng', 'district', '相城区');
  log.volunteer('v1', 'taohuawu');
  log.activity('a1', 'taohuawu', '2026-11-20T01:00:00.000Z', '2026-11-20T03:00:00.000Z');
  const registered = log.events.length;
  log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v1', homeOrgUnitId: 'xiangcheng' });

  beforeEach(async () => {
    rm = await adapter.open();
    const head = { headPosition: async () => rm.progress.position } as unknown as EventStore;
    scopes = new ReadModelScopes(rm.models, rm.progress, head, {} as AccountStore);
  });
  afterEach(() => rm.close());

  it('follows a volunteer who moves home, although the old home was remembered', async () => {
    await rm.apply(log.events.slice(0, registered));
    for (let i = 0; i < 2; i++) {
      expect(await scopes.locate('volunteer', 'v1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: 'v1' });
      expect(await scopes.isWithin('gusu', 'taohuawu')).toBe(true);
    }
    await rm.apply(log.events.slice(registered));
    expect(await scopes.locate('volunteer', 'v1')).toEqual({ orgUnitId: 'xiangcheng', volunteerId: 'v1' });
    expect(await scopes.locate('activity', 'a1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: null });
    expect(await scopes.isWithin('gusu', 'xiangcheng')).toBe(false);
  });

  it('finds a target created a moment ago although the projector committed it just after the first lookup missed', async () => {
    await rm.apply(log.events.slice(0, 3));
    // The first lookup misses; the batch with the activity commits before the guard asks how far the read models are.
    let raced = false;
    const racing: ReadModels = {
      dialect: rm.models.dialect,
      all: (sql, params) => rm.models.all(sql, params),
      consistent: (work) => rm.models.consistent(work),
      get: async <T>(sql: string, params?: readonly unknown[]) => {
        const row = await rm.models.get<T>(sql, params);
        if (!raced && sql.includes('stream_owners')) {
          raced = true;
          await rm.apply(log.events.slice(3, registered));
        }
        return row;
      },
    };
    const head = { headPosition: async () => registered } as unknown as EventStore;
    scopes = new ReadModelScopes(racing, rm.progress, head, {} as AccountStore);
    expect(await scopes.locate('activity', 'a1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: null });
    expect(raced).toBe(true);
  });

  it('never remembers what was not found: a unit registered later is in scope at once', async () => {
    await rm.apply(log.events.slice(0, 1));
    expect(await scopes.isWithin('gusu', 'taohuawu')).toBe(false);
    expect(await scopes.locate('activity', 'a1')).toBeNull();
    await rm.apply(log.events.slice(1, registered));
    expect(await scopes.isWithin('gusu', 'taohuawu')).toBe(true);
    expect(await scopes.locate('activity', 'a1')).toEqual({ orgUnitId: 'taohuawu', volunteerId: null });
  });
});
