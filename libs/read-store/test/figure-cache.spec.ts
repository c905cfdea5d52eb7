import { CHINA_WORKING_DAYS } from '@haitang/domain';
import { FigureCache, orgUnitDashboard, type OrgUnitDashboard, orgUnitExists, orgUnitReport, type OrgUnitReport, type ReportGrouping } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from './read-model-fixture';

/** A cached report is reused exactly while nothing in its unit's months changed. */
describe.each(READ_STORE_ADAPTERS)('report cache with exact invalidation ($name)', (adapter) => {
  let rm: ReadStore;
  let log: TestLog;
  let applied = 0;
  const apply = async () => {
    await rm.apply(log.events.slice(applied));
    applied = log.events.length;
  };
  const cache = new FigureCache<OrgUnitReport>();
  const report = (unit: string, from: string, to: string, groupBy: ReportGrouping = 'child') =>
    cache.get(rm.models, { unitId: unit, fromMonth: from.slice(0, 7), toMonth: to.slice(0, 7) }, `${unit}|${from}|${to}|${groupBy}`,
      () => orgUnitReport(rm.models, unit, { from, to }, groupBy));

  beforeAll(async () => {
    rm = await adapter.open();
    log = new TestLog();
    log.unit('gusu', 'district', '姑苏区');
    log.unit('canglang', 'street', '沧浪街道', 'gusu');
    log.unit('taohuawu', 'community', '桃花坞社区', 'canglang');
    log.unit('xiangcheng', 'district', '相城区');
    log.unit('fuyuan', 'community', '富元社区', 'xiangcheng');
    log.volunteer('v1', 'taohuawu', { partyMember: true });
    log.volunteer('v2', 'fuyuan');
    log.record('r1', 'v1', 'taohuawu', '2025-10-08', 120);
    log.record('r2', 'v2', 'fuyuan', '2025-10-09', 60);
    await apply();
  });
  afterAll(() => rm.close());

  it('computes once, then answers from the cache', async () => {
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: false, value: { total: { serviceMinutes: 120 } } });
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: true, value: { total: { serviceMinutes: 120 } } });
  });

  it('stays valid when other units or other months change', async () => {
    log.record('r3', 'v2', 'fuyuan', '2025-11-01', 45); // another district
    log.record('r4', 'v1', 'taohuawu', '2026-03-01', 30); // the same unit, outside the range
    await apply();
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: true, value: { total: { serviceMinutes: 120 } } });
  });

  it('recomputes when a record in the range is added, amended, approved or revoked', async () => {
    log.record('r5', 'v1', 'taohuawu', '2025-12-24', 90);
    await apply();
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: false, value: { total: { serviceMinutes: 210 } } });
    log.add('ServiceAmended.v1', { recordId: 'r1', volunteerId: 'v1', previousMinutes: 120, minutes: 100, reason: '核对' });
    await apply();
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: false, value: { total: { serviceMinutes: 190 } } });
    log.record('r6', 'v1', 'taohuawu', '2025-06-01', 15, { status: 'pending' });
    await apply();
    expect((await report('gusu', '2025-01-01', '2025-12-31')).value.total.serviceMinutes).toBe(190);
    log.add('ServiceApproved.v1', { recordId: 'r6', volunteerId: 'v1', minutes: 15 });
    await apply();
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: false, value: { total: { serviceMinutes: 205 } } });
    log.add('ServiceRevoked.v1', { recordId: 'r5', volunteerId: 'v1', previousStatus: 'approved', minutes: 90, reason: '误录' });
    await apply();
    expect(await report('gusu', '2025-01-01', '2025-12-31')).toMatchObject({ hit: false, value: { total: { serviceMinutes: 115 } } });
  });

  it('recomputes every report when the hierarchy or a volunteer’s groups change', async () => {
    expect((await report('gusu', '2025-01-01', '2025-12-31', 'group')).hit).toBe(false);
    expect((await report('gusu', '2025-01-01', '2025-12-31', 'group')).hit).toBe(true);
    log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v1', partyMember: false });
    await apply();
    const regrouped = await report('gusu', '2025-01-01', '2025-12-31', 'group');
    expect(regrouped.hit).toBe(false);
    expect(regrouped.value.rows.find((r) => r.key === 'partyMember')!.serviceMinutes).toBe(0);
    log.unit('jinchang', 'street', '金阊街道', 'gusu');
    await apply();
    const withNewChild = await report('gusu', '2025-01-01', '2025-12-31');
    expect(withNewChild.hit).toBe(false);
    expect(withNewChild.value.rows.map((r) => r.key)).toContain('jinchang');
  });

  it('always answers what a fresh computation gives', async () => {
    for (const [unit, from, to] of [['gusu', '2025-01-01', '2025-12-31'], ['canglang', '2025-10-01', '2026-03-31'], ['xiangcheng', '2025-01-01', '2026-12-31']] as const) {
      for (const groupBy of ['child', 'category', 'month', 'group'] as const) {
        expect((await report(unit, from, to, groupBy)).value).toEqual((await orgUnitReport(rm.models, unit, { from, to }, groupBy)));
      }
    }
  });
});

/** After every single event of a varied story, every cached report and dashboard equals a fresh computation. */
describe.each(READ_STORE_ADAPTERS)('cached figures never go stale ($name)', (adapter) => {
  it('matches fresh reports and dashboards after each event', async () => {
    const rm = await adapter.open();
    const log = new TestLog();
    const reports = new FigureCache<OrgUnitReport>();
    const dashboards = new FigureCache<OrgUnitDashboard>();
    const units = ['gusu', 'canglang', 'taohuawu', 'maojiaqiao', 'xiangcheng', 'fuyuan'];
    const today = '2026-11-26';
    const story: (() => void)[] = [
      () => log.unit('gusu', 'district', '姑苏区'),
      () => log.unit('canglang', 'street', '沧浪街道', 'gusu'),
      () => log.unit('taohuawu', 'community', '桃花坞社区', 'canglang'),
      () => log.unit('xiangcheng', 'district', '相城区'),
      () => log.unit('fuyuan', 'community', '富元社区', 'xiangcheng'),
      () => log.volunteer('v1', 'taohuawu', { partyMember: true }, '2026-10-03T02:00:00.000Z'),
      () => log.volunteer('v2', 'fuyuan', { senior: true }, '2026-09-03T02:00:00.000Z'),
      () => log.activity('a1', 'taohuawu', '2026-10-05T01:00:00.000Z', '2026-10-05T03:00:00.000Z'),
      () => log.activity('a2', 'taohuawu', '2026-10-12T01:00:00.000Z', '2026-10-12T03:00:00.000Z'),
      () => log.record('r1', 'v1', 'taohuawu', '2026-10-05', 120, { activityId: 'a1', source: 'attendance' }),
      () => log.add('ActivityCompleted.v1', { activityId: 'a1', beneficiaries: 20, completedAt: '2026-10-05T04:00:00.000Z', credited: [], notCredited: [] }),
      () => log.record('r2', 'v2', 'fuyuan', '2026-10-20', 60, { status: 'pending' }),
      () => log.add('ServiceApproved.v1', { recordId: 'r2', volunteerId: 'v2', minutes: 60 }),
      () => log.record('r3', 'v1', 'taohuawu', '2026-09-28', 30),
      () => log.add('ServiceAmended.v1', { recordId: 'r1', volunteerId: 'v1', previousMinutes: 120, minutes: 110, reason: '核对' }),
      () => log.record('r4', 'v2', 'taohuawu', '2026-10-12', 45, { activityId: 'a2', source: 'staff' }),
      () => log.add('ActivityCancelled.v1', { activityId: 'a2', reason: '暴雨' }),
      () => log.unit('maojiaqiao', 'community', '毛家桥社区', 'canglang'),
      () => log.add('VolunteerProfileUpdated.v1', { volunteerId: 'v2', partyMember: true, displayName: '俞阿姨' }),
      () => log.add('ServiceRevoked.v1', { recordId: 'r3', volunteerId: 'v1', previousStatus: 'approved', minutes: 30, reason: '误录' }),
    ];
    let applied = 0;
    try {
      for (const step of story) {
        step();
        await rm.apply(log.events.slice(applied));
        applied = log.events.length;
        for (const unit of units) {
          if (!(await orgUnitExists(rm.models, unit))) continue;
          for (const period of ['2026-09', '2026-10']) {
            const cached = (await dashboards.get(rm.models, { unitId: unit, fromMonth: period, toMonth: period, anyMonth: true }, `${unit}|${period}|${today}`,
              () => orgUnitDashboard(rm.models, unit, period, today, CHINA_WORKING_DAYS))).value;
            expect(cached).toEqual((await orgUnitDashboard(rm.models, unit, period, today, CHINA_WORKING_DAYS)));
          }
          for (const groupBy of ['child', 'group'] as const) {
            const cached = (await reports.get(rm.models, { unitId: unit, fromMonth: '2026-09', toMonth: '2026-10' }, `${unit}|${groupBy}`,
              () => orgUnitReport(rm.models, unit, { from: '2026-09-01', to: '2026-10-31' }, groupBy))).value;
            expect(cached).toEqual((await orgUnitReport(rm.models, unit, { from: '2026-09-01', to: '2026-10-31' }, groupBy)));
          }
        }
      }
    } finally {
      await rm.close();
    }
  });
});
