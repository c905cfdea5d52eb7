import { CHINA_WORKING_DAYS } from '@haitang/domain';
import fc from 'fast-check';
import { orgUnitDashboard, orgUnitReport, REPORT_GROUPINGS, type ReportGrouping } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from './read-model-fixture';

const TODAY = '2026-11-26';

/**
 * 区 d1 > 街道 s1 (c1, c2) and s2 (c3). Every figure expected below is worked
 * out by hand from this story (October 2026, Asia/Shanghai).
 */
function story(): TestLog {
  const log = new TestLog();
  log.unit('d1', 'district', '姑苏区');
  log.unit('s1', 'street', '沧浪街道', 'd1');
  log.unit('s2', 'street', '虎丘街道', 'd1');
  log.unit('c1', 'community', '一号社区', 's1');
  log.unit('c2', 'community', '二号社区', 's1');
  log.unit('c3', 'community', '三号社区', 's2');
  log.unit('x1', 'district', '相城区');
  log.volunteer('vP', 'c1', { partyMember: true }, '2026-10-05T00:00:00.000Z');
  log.volunteer('vS', 'c2', { senior: true }, '2026-09-30T17:00:00.000Z'); // 1 October, 01:00 in Shanghai
  log.volunteer('vPS', 'c3', { partyMember: true, senior: true }, '2026-09-30T15:59:00.000Z'); // still 30 September in Shanghai
  log.volunteer('vC', 'c1', { occupation: 'courier' }, '2026-10-31T16:00:00.000Z'); // already 1 November in Shanghai
  log.volunteer('vF', 's1', { occupation: 'food-delivery' }, '2026-10-20T00:00:00.000Z');
  log.volunteer('vR', 'c3', { occupation: 'ride-hailing' }, '2026-10-21T00:00:00.000Z');
  log.volunteer('vO', 'd1', {}, '2026-10-22T00:00:00.000Z');
  log.volunteer('vX', 'x1', { partyMember: true }, '2026-10-22T00:00:00.000Z'); // another district

  const completed = (id: string) => log.add('ActivityCompleted.v1', { activityId: id, beneficiaries: null, completedAt: '2026-11-02T00:00:00.000Z', credited: [], notCredited: [] });
  log.activity('AC1', 'c1', '2026-09-30T16:30:00.000Z', '2026-09-30T18:30:00.000Z', 'environment'); // starts 1 October in Shanghai
  completed('AC1');
  log.activity('AC2', 'c3', '2026-10-31T15:00:00.000Z', '2026-10-31T15:50:00.000Z', 'elder-rides'); // 31 October 23:00 in Shanghai
  completed('AC2');
  log.activity('AC3', 'c2', '2026-10-31T16:10:00.000Z', '2026-10-31T18:00:00.000Z'); // 1 November in Shanghai
  completed('AC3');
  log.activity('AC4', 'c1', '2026-10-15T01:00:00.000Z', '2026-10-15T03:00:00.000Z');
  log.add('ActivityCancelled.v1', { activityId: 'AC4', reason: '下雨' });
  log.activity('AC5', 'c2', '2026-10-16T01:00:00.000Z', '2026-10-16T03:00:00.000Z'); // never completed: overdue since 31 October
  log.activity('AX', 'x1', '2026-10-16T01:00:00.000Z', '2026-10-16T03:00:00.000Z');
  completed('AX');

  log.record('r1', 'vP', 'c1', '2026-10-01', 120, { activityId: 'AC1', source: 'attendance' });
  log.record('r2', 'vP', 'c2', '2026-10-31', 60, { category: 'digital-inclusion' });
  log.record('r3', 'vS', 'c2', '2026-10-15', 90);
  log.add('ServiceAmended.v1', { recordId: 'r3', volunteerId: 'vS', previousMinutes: 90, minutes: 75, reason: '核对' });
  log.record('r4', 'vPS', 'c3', '2026-10-20', 200, { category: 'garbage-sorting' });
  log.add('ServiceRevoked.v1', { recordId: 'r4', volunteerId: 'vPS', previousStatus: 'approved', minutes: 200, reason: '误录' });
  log.record('r5', 'vPS', 'c3', '2026-10-21', 45, { category: 'garbage-sorting' });
  log.record('r6', 'vC', 's1', '2026-10-05', 30, { category: 'errand-escort', status: 'pending' });
  log.add('ServiceApproved.v1', { recordId: 'r6', volunteerId: 'vC', minutes: 30 });
  log.record('r7', 'vF', 'c1', '2026-10-06', 50, { category: 'errand-escort', status: 'pending' });
  log.add('ServiceRejected.v1', { recordId: 'r7', volunteerId: 'vF', reason: '重复' });
  log.record('r8', 'vF', 'c1', '2026-10-07', 40, { category: 'errand-escort', status: 'pending' });
  log.record('r9', 'vR', 'c3', '2026-09-30', 100, { category: 'elder-rides' });
  log.record('r10', 'vR', 'c3', '2026-11-01', 100, { category: 'elder-rides' });
  log.record('r11', 'vO', 'd1', '2026-10-10', 15, { category: 'other' });
  log.record('r12', 'vR', 'c3', '2026-10-12', 33, { category: 'elder-rides', activityId: 'AC2', source: 'attendance' });
  log.record('rX', 'vX', 'x1', '2026-10-12', 500);
  return log;
}

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const sum = (rows: { serviceMinutes: number }[]) => rows.reduce((s, r) => s + r.serviceMinutes, 0);
const rowsOf = (report: { rows: { key: string; serviceMinutes: number; activities: number; volunteers: number }[] }) =>
  Object.fromEntries(report.rows.map((r) => [r.key, [r.serviceMinutes, r.activities, r.volunteers]]));

describe.each(READ_STORE_ADAPTERS)('dashboards and reports: given events, then figures worked out by hand ($name)', (adapter) => {
  let rm: ReadStore;
  beforeEach(async () => {
    rm = await adapter.open();
    await rm.apply(story().events);
  });
  afterEach(() => rm.close());

  it('a district’s month: approved minutes only, after amendments, revocations, rejections and approvals', async () => {
    const d = (await orgUnitDashboard(rm.models, 'd1', '2026-10', TODAY, CHINA_WORKING_DAYS));
    expect(d).toMatchObject({
      orgUnitId: 'd1', orgUnitName: '姑苏区', period: '2026-10', from: '2026-10-01', to: '2026-10-31', asOf: TODAY,
      // r1 120 + r2 60 + r3 75 (amended) + r5 45 + r6 30 (approved) + r11 15 + r12 33; r4 revoked, r7 rejected, r8 pending.
      serviceMinutes: 378, serviceHours: 6.3, pendingMinutes: 40,
      activities: 2, // AC1 and AC2; AC3 starts in November (Shanghai), AC4 cancelled, AC5 never completed
      activeVolunteers: 6,
      newVolunteers: 5, // vP, vS, vF, vR, vO; vPS joined in September and vC in November (Shanghai)
      byCategory: { environment: 195, 'digital-inclusion': 60, 'garbage-sorting': 45, 'errand-escort': 30, other: 15, 'elder-rides': 33 },
      byGroup: {
        partyMember: { volunteers: 2, minutes: 225 },
        senior: { volunteers: 2, minutes: 120 },
        courier: { volunteers: 1, minutes: 30 },
        foodDelivery: { volunteers: 0, minutes: 0 },
        rideHailing: { volunteers: 1, minutes: 33 },
      },
      overdueCount: 1,
    });
    expect(d.byCategory).toEqual({ environment: 195, 'digital-inclusion': 60, 'garbage-sorting': 45, 'errand-escort': 30, other: 15, 'elder-rides': 33 });
    expect(d.topVolunteers.map((t) => [t.volunteerId, t.minutes])).toEqual([['vP', 180], ['vS', 75], ['vPS', 45], ['vR', 33], ['vC', 30], ['vO', 15]]);
    expect(d.topVolunteers[0]).toMatchObject({ displayName: '志愿者vP', hours: 3 });
    expect(d.overdueActivities.map((a) => [a.activityId, a.recordsDueBy])).toEqual([['AC5', '2026-10-30']]);
  });

  it('a street sees its subtree, a community itself', async () => {
    expect((await orgUnitDashboard(rm.models, 's1', '2026-10', TODAY, CHINA_WORKING_DAYS))).toMatchObject({
      serviceMinutes: 285, pendingMinutes: 40, activeVolunteers: 3, newVolunteers: 3, activities: 1, overdueCount: 1,
    });
    expect((await orgUnitDashboard(rm.models, 'c3', '2026-10', TODAY, CHINA_WORKING_DAYS))).toMatchObject({
      serviceMinutes: 78, activeVolunteers: 2, newVolunteers: 1, activities: 1, overdueCount: 0, byCategory: { 'garbage-sorting': 45, 'elder-rides': 33 },
    });
    expect((await orgUnitDashboard(rm.models, 'c3', '2026-10', TODAY, CHINA_WORKING_DAYS)).byCategory).toEqual({ 'garbage-sorting': 45, 'elder-rides': 33 });
    expect((await orgUnitDashboard(rm.models, 'c3', '2026-09', TODAY, CHINA_WORKING_DAYS))).toMatchObject({ serviceMinutes: 100, activeVolunteers: 1, newVolunteers: 1, activities: 0 });
    expect((await orgUnitDashboard(rm.models, 'd1', '2026-12', TODAY, CHINA_WORKING_DAYS))).toMatchObject({ serviceMinutes: 0, activeVolunteers: 0, topVolunteers: [], byCategory: {} });
  });

  it('report by child: one row per child and 本级 for the unit’s own records; minutes and activities add up, volunteers are distinct', async () => {
    const r = (await orgUnitReport(rm.models, 'd1', OCTOBER, 'child'));
    expect(r.rows.map((row) => [row.key, row.label])).toEqual([['s1', '沧浪街道'], ['s2', '虎丘街道'], ['d1', '本级']]);
    expect(rowsOf(r)).toEqual({ s1: [285, 1, 3], s2: [78, 1, 2], d1: [15, 0, 1] });
    expect(r.total).toEqual({ serviceMinutes: 378, serviceHours: 6.3, activities: 2, volunteers: 6 });
    expect(r.additive).toEqual({ serviceMinutes: true, activities: true, volunteers: false });
    // A street's children are its communities; the street's own records go to its 本级 row.
    expect(rowsOf((await orgUnitReport(rm.models, 's1', OCTOBER, 'child')))).toEqual({ c1: [120, 1, 1], c2: [135, 0, 2], s1: [30, 0, 1] });
    // A community has only its own row.
    expect(rowsOf((await orgUnitReport(rm.models, 'c3', OCTOBER, 'child')))).toEqual({ c3: [78, 1, 2] });
  });

  it('report by category: every category, zeros included', async () => {
    const r = (await orgUnitReport(rm.models, 'd1', OCTOBER, 'category'));
    expect(r.rows).toHaveLength(11);
    expect(r.rows.find((row) => row.key === 'environment')).toEqual({ key: 'environment', label: '环境整治', serviceMinutes: 195, serviceHours: 3.3, activities: 1, volunteers: 2 });
    expect(rowsOf(r)['elder-rides']).toEqual([33, 1, 1]);
    expect(rowsOf(r)['legal-aid']).toEqual([0, 0, 0]);
    expect(sum(r.rows)).toBe(378);
  });

  it('report by month: every month of the range; volunteers distinct over the range', async () => {
    const r = (await orgUnitReport(rm.models, 'd1', { from: '2026-09-01', to: '2026-11-30' }, 'month'));
    expect(r.rows.map((row) => row.label)).toEqual(['2026年9月', '2026年10月', '2026年11月']);
    expect(rowsOf(r)).toEqual({ '2026-09': [100, 0, 1], '2026-10': [378, 2, 6], '2026-11': [100, 1, 1] });
    expect(r.total).toMatchObject({ serviceMinutes: 578, activities: 3, volunteers: 6 });
  });

  it('report by group: disjoint rows (党员 > 银发 > occupation), so minutes AND volunteers add up', async () => {
    const r = (await orgUnitReport(rm.models, 'd1', OCTOBER, 'group'));
    expect(r.rows.map((row) => row.key)).toEqual(['partyMember', 'senior', 'courier', 'foodDelivery', 'rideHailing', 'other']);
    expect(rowsOf(r)).toEqual({
      partyMember: [225, 1, 2], senior: [75, 0, 1], courier: [30, 0, 1], foodDelivery: [0, 0, 0], rideHailing: [33, 1, 1], other: [15, 0, 1],
    });
    expect(r.total).toMatchObject({ serviceMinutes: 378, volunteers: 6, activities: 2 });
    expect(r.additive).toEqual({ serviceMinutes: true, activities: false, volunteers: true });
  });

  it('later corrections change the totals; delivering every event again changes nothing', async () => {
    const log = story();
    const more = new TestLog();
    more.events.push(...log.events);
    more.add('ServiceRevoked.v1', { recordId: 'r5', volunteerId: 'vPS', previousStatus: 'approved', minutes: 45, reason: '误录' });
    more.add('ServiceAmended.v1', { recordId: 'r12', volunteerId: 'vR', previousMinutes: 33, minutes: 63, reason: '核对' });
    more.add('ServiceApproved.v1', { recordId: 'r8', volunteerId: 'vF', minutes: 40 });
    await rm.apply(more.events.slice(log.events.length));
    await rm.deliver(more.events);
    await rm.deliver(more.events.slice(-3));
    const d = (await orgUnitDashboard(rm.models, 'd1', '2026-10', TODAY, CHINA_WORKING_DAYS));
    expect(d).toMatchObject({ serviceMinutes: 378 - 45 + 30 + 40, pendingMinutes: 0, activeVolunteers: 6 });
    expect(d.byGroup.partyMember).toEqual({ volunteers: 1, minutes: 180 });
    expect(d.byGroup.foodDelivery).toEqual({ volunteers: 1, minutes: 40 });
    const r = (await orgUnitReport(rm.models, 'd1', OCTOBER, 'child'));
    expect(rowsOf(r)).toEqual({ s1: [325, 1, 4], s2: [63, 1, 1], d1: [15, 0, 1] });
    expect(r.total.serviceMinutes).toBe(403);
  });
});

describe.each(READ_STORE_ADAPTERS)('reports add up for any ledger (property) ($name)', (adapter) => {
  let rm: ReadStore;
  beforeAll(async () => (rm = await adapter.open()));
  afterAll(() => rm.close());

  const units = [
    ['d1', 'district', null], ['s1', 'street', 'd1'], ['s2', 'street', 'd1'], ['t1', 'town', 'd1'],
    ['c1', 'community', 's1'], ['c2', 'community', 's1'], ['c3', 'community', 's2'], ['c4', 'community', 't1'], ['d2', 'district', null], ['c5', 'community', 'd2'],
  ] as const;
  const subtree: Record<string, string[]> = {
    d1: ['d1', 's1', 's2', 't1', 'c1', 'c2', 'c3', 'c4'], s1: ['s1', 'c1', 'c2'], s2: ['s2', 'c3'], t1: ['t1', 'c4'], c1: ['c1'], d2: ['d2', 'c5'],
  };
  const categories = ['environment', 'anti-fraud', 'legal-aid', 'other'];
  const day = fc.integer({ min: 0, max: 120 }).map((n) => new Date(Date.UTC(2026, 7, 1 + n)).toISOString().slice(0, 10));
  const volunteer = fc.record({ partyMember: fc.boolean(), senior: fc.boolean(), occupation: fc.constantFrom('courier', 'food-delivery', 'ride-hailing', 'other') });
  const record = fc.record({
    volunteer: fc.integer({ min: 0, max: 5 }), unit: fc.integer({ min: 0, max: units.length - 1 }), date: day,
    minutes: fc.integer({ min: 1, max: 1440 }), category: fc.constantFrom(...categories),
    status: fc.constantFrom('approved', 'pending'),
    then: fc.constantFrom('none', 'approve', 'reject', 'revoke', 'amend'), amendTo: fc.integer({ min: 1, max: 1440 }),
  });
  const activity = fc.record({ unit: fc.integer({ min: 0, max: units.length - 1 }), date: day, completed: fc.boolean(), category: fc.constantFrom(...categories) });

  it('rows add up to the total, and the total is what a plain loop over the records gives', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(volunteer, { minLength: 6, maxLength: 6 }), fc.array(record, { maxLength: 40 }), fc.array(activity, { maxLength: 10 }),
      fc.constantFrom(...Object.keys(subtree)), day, day, fc.constantFrom(...REPORT_GROUPINGS),
      async (volunteers, records, activities, unit, a, b, groupBy: ReportGrouping) => {
        await rm.reset();
        const log = new TestLog();
        for (const [id, kind, parent] of units) log.unit(id, kind, id, parent);
        volunteers.forEach((v, i) => log.volunteer(`v${i}`, 'c1', v));
        const expected: { unit: string; date: string; minutes: number; volunteer: string; category: string }[] = [];
        records.forEach((r, i) => {
          const id = `r${i}`;
          const volunteerId = `v${r.volunteer}`;
          const orgUnitId = units[r.unit][0];
          log.record(id, volunteerId, orgUnitId, r.date, r.minutes, { category: r.category, status: r.status });
          let status: string = r.status;
          let minutes = r.minutes;
          if (r.then === 'approve' && status === 'pending') (status = 'approved', log.add('ServiceApproved.v1', { recordId: id, volunteerId, minutes }));
          if (r.then === 'reject' && status === 'pending') (status = 'rejected', log.add('ServiceRejected.v1', { recordId: id, volunteerId, reason: 'x' }));
          if (r.then === 'revoke') (status = 'revoked', log.add('ServiceRevoked.v1', { recordId: id, volunteerId, previousStatus: r.status, minutes, reason: 'x' }));
          if (r.then === 'amend' && r.amendTo !== minutes) {
            log.add('ServiceAmended.v1', { recordId: id, volunteerId, previousMinutes: minutes, minutes: r.amendTo, reason: 'x' });
            minutes = r.amendTo;
          }
          if (status === 'approved') expected.push({ unit: orgUnitId, date: r.date, minutes, volunteer: volunteerId, category: r.category });
        });
        activities.forEach((act, i) => {
          log.activity(`a${i}`, units[act.unit][0], `${act.date}T01:00:00.000Z`, `${act.date}T02:00:00.000Z`, act.category);
          if (act.completed) log.add('ActivityCompleted.v1', { activityId: `a${i}`, beneficiaries: null, completedAt: `${act.date}T03:00:00.000Z`, credited: [], notCredited: [] });
        });
        await rm.apply(log.events);
        await rm.deliver(log.events); // and once more, as a redelivery would

        const [from, to] = a <= b ? [a, b] : [b, a];
        const report = (await orgUnitReport(rm.models, unit, { from, to }, groupBy));
        const inScope = expected.filter((e) => subtree[unit].includes(e.unit) && e.date >= from && e.date <= to);
        const heldActivities = activities.filter((act) => act.completed && subtree[unit].includes(units[act.unit][0]) && act.date >= from && act.date <= to);
        expect(report.total.serviceMinutes).toBe(inScope.reduce((s, e) => s + e.minutes, 0));
        expect(report.total.volunteers).toBe(new Set(inScope.map((e) => e.volunteer)).size);
        expect(report.total.activities).toBe(heldActivities.length);
        expect(sum(report.rows)).toBe(report.total.serviceMinutes);
        expect(new Set(report.rows.map((r) => r.key)).size).toBe(report.rows.length);
        const rowSum = (f: 'activities' | 'volunteers') => report.rows.reduce((s, r) => s + r[f], 0);
        if (groupBy === 'group') expect(rowSum('volunteers')).toBe(report.total.volunteers);
        else expect(rowSum('activities')).toBe(report.total.activities);
        expect(rowSum('volunteers')).toBeGreaterThanOrEqual(report.total.volunteers);

        if (to.slice(0, 7) === from.slice(0, 7)) {
          const dashboard = (await orgUnitDashboard(rm.models, unit, from.slice(0, 7), TODAY, CHINA_WORKING_DAYS));
          const month = expected.filter((e) => subtree[unit].includes(e.unit) && e.date.slice(0, 7) === from.slice(0, 7));
          expect(dashboard.serviceMinutes).toBe(month.reduce((s, e) => s + e.minutes, 0));
          expect(Object.values(dashboard.byCategory).reduce((s, m) => s + m, 0)).toBe(dashboard.serviceMinutes);
        }
      },
    ), { numRuns: adapter.name === 'SQLite' ? 60 : 15 }); // PostgreSQL: fewer, each is many round trips
  });
});
