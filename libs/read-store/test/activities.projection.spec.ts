import { attendanceRecordId, CHINA_WORKING_DAYS, WorkingDayCalendar } from '@haitang/domain';
import { activityView, listActivities, overdueActivities } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore, TestLog } from './read-model-fixture';

const NOW = new Date('2026-11-26T02:00:00Z'); // a Thursday in Shanghai

/**
 * 沧浪街道 (s1) with two communities; 相城区 (d2) elsewhere. A1 is a completed
 * class with every kind of attendance; A2..A7 exercise the overdue rule.
 */
function story(): { log: TestLog; firstReschedule: number } {
  const log = new TestLog();
  log.unit('d1', 'district', '姑苏区');
  log.unit('s1', 'street', '沧浪街道', 'd1');
  log.unit('c1', 'community', '一号社区', 's1');
  log.unit('c2', 'community', '二号社区', 's1');
  log.unit('d2', 'district', '相城区');
  log.unit('c3', 'community', '三号社区', 'd2');
  for (const v of ['v1', 'v2', 'v3', 'v4', 'v5']) log.volunteer(v, 'c1');

  const a1 = 'A1';
  log.activity(a1, 'c1', '2026-10-10T01:00:00.000Z', '2026-10-10T03:00:00.000Z', 'digital-inclusion');
  for (const v of ['v1', 'v2', 'v3', 'v5']) log.add('VolunteerEnrolled.v1', { activityId: a1, volunteerId: v, walkIn: false });
  log.add('EnrollmentWithdrawn.v1', { activityId: a1, volunteerId: 'v5', reason: '临时有事' });
  log.add('VolunteerCheckedIn.v1', { activityId: a1, volunteerId: 'v1', at: '2026-10-10T00:50:00.000Z' });
  log.add('VolunteerCheckedIn.v1', { activityId: a1, volunteerId: 'v2', at: '2026-10-10T01:05:00.000Z' });
  log.add('VolunteerEnrolled.v1', { activityId: a1, volunteerId: 'v4', walkIn: true });
  log.add('VolunteerCheckedIn.v1', { activityId: a1, volunteerId: 'v4', at: '2026-10-10T02:00:00.000Z' });
  log.add('VolunteerCheckedOut.v1', { activityId: a1, volunteerId: 'v1', at: '2026-10-10T03:20:00.000Z' });
  log.add('VolunteerCheckedOut.v1', { activityId: a1, volunteerId: 'v4', at: '2026-10-10T03:00:00.000Z' });
  const att = (v: string) => attendanceRecordId(a1, v);
  log.add('ActivityCompleted.v1', {
    activityId: a1, beneficiaries: 30, completedAt: '2026-10-10T03:30:00.000Z',
    credited: [{ volunteerId: 'v1', recordId: att('v1'), minutes: 120 }, { volunteerId: 'v4', recordId: att('v4'), minutes: 60 }],
    notCredited: [{ volunteerId: 'v2', reason: 'missed-check-out' }, { volunteerId: 'v3', reason: 'no-show' }],
  });
  log.record(att('v1'), 'v1', 'c1', '2026-10-10', 120, { activityId: a1, source: 'attendance', category: 'digital-inclusion' });
  log.record(att('v4'), 'v4', 'c1', '2026-10-10', 60, { activityId: a1, source: 'attendance', category: 'digital-inclusion' });
  // v2 forgot to check out: staff record it by hand; then corrections.
  log.record(att('v2'), 'v2', 'c1', '2026-10-10', 90, { activityId: a1, category: 'digital-inclusion' });
  log.add('ServiceAmended.v1', { recordId: att('v1'), volunteerId: 'v1', previousMinutes: 120, minutes: 100, reason: '核对' });
  log.add('ServiceRevoked.v1', { recordId: att('v4'), volunteerId: 'v4', previousStatus: 'approved', minutes: 60, reason: '误录' });

  // Overdue candidates (NOW is 2026-11-26).
  log.activity('A2', 'c2', '2026-10-01T01:00:00.000Z', '2026-10-01T03:00:00.000Z'); // never recorded: overdue
  log.activity('A3', 'c2', '2026-11-20T01:00:00.000Z', '2026-11-20T03:00:00.000Z'); // ended recently: not yet
  const firstReschedule = log.add('ActivityRescheduled.v1', { activityId: 'A3', startsAt: '2026-09-05T01:00:00.000Z', endsAt: '2026-09-05T03:00:00.000Z', reason: null }).position;
  log.add('ActivityRescheduled.v1', { activityId: 'A3', startsAt: '2026-11-21T01:00:00.000Z', endsAt: '2026-11-21T03:00:00.000Z', reason: '改期' });
  log.activity('A4', 'c1', '2026-09-01T01:00:00.000Z', '2026-09-01T03:00:00.000Z'); // recorded by hand: not overdue
  log.record('r-a4', 'v3', 'c1', '2026-09-01', 60, { activityId: 'A4' });
  log.activity('A5', 'c1', '2026-09-02T01:00:00.000Z', '2026-09-02T03:00:00.000Z'); // its only record revoked: overdue
  log.record('r-a5', 'v3', 'c1', '2026-09-02', 60, { activityId: 'A5' });
  log.add('ServiceRevoked.v1', { recordId: 'r-a5', volunteerId: 'v3', previousStatus: 'approved', minutes: 60, reason: '误录' });
  log.activity('A6', 'c2', '2026-09-03T01:00:00.000Z', '2026-09-03T03:00:00.000Z'); // cancelled: never overdue
  log.add('ActivityCancelled.v1', { activityId: 'A6', reason: '台风' });
  log.activity('A7', 'c3', '2026-09-01T01:00:00.000Z', '2026-09-01T03:00:00.000Z'); // overdue, in 相城区
  return { log, firstReschedule };
}

describe.each(READ_STORE_ADAPTERS)('activities projection: roster, attendance, status, overdue ($name)', (adapter) => {
  let rm: ReadStore;
  beforeEach(async () => (rm = await adapter.open()));
  afterEach(() => rm.close());

  it('shows a completed activity with its roster, missed check-outs, withdrawals and the minutes its records credit now', async () => {
    await rm.apply(story().log.events);
    const a1 = (await activityView(rm.models, 'A1', NOW, CHINA_WORKING_DAYS))!;
    expect(a1).toMatchObject({
      activityId: 'A1', orgUnitId: 'c1', orgUnitName: '一号社区', status: 'completed', category: 'digital-inclusion', categoryName: '数字助老',
      beneficiaries: 30, overdue: false, recordsDueBy: '2026-10-23', enrolled: 4,
      // 100 (amended from 120) + 90 (recorded by hand); the walk-in's 60 were revoked.
      creditedMinutes: 190, creditedHours: 3.2, pendingMinutes: 0,
      attendance: { enrolled: 0, 'checked-in': 0, 'checked-out': 2, 'no-show': 1, 'missed-check-out': 1 },
    });
    expect(a1.roster.map((e) => [e.volunteerId, e.attendance, e.outcome, e.creditedAtCompletion, e.record?.minutes ?? null, e.record?.status ?? null])).toEqual([
      ['v1', 'checked-out', 'credited', 120, 100, 'approved'],
      ['v2', 'missed-check-out', 'missed-check-out', null, 90, 'approved'],
      ['v3', 'no-show', 'no-show', null, null, null],
      ['v4', 'checked-out', 'credited', 60, 60, 'revoked'],
    ]);
    expect(a1.roster.find((e) => e.volunteerId === 'v4')!.walkIn).toBe(true);
    expect(a1.missedCheckOuts).toEqual([{ volunteerId: 'v2', displayName: '志愿者v2', checkedInAt: '2026-10-10T01:05:00.000Z', record: expect.objectContaining({ source: 'staff', minutes: 90 }) }]);
    expect(a1.withdrawn).toEqual([{ volunteerId: 'v5', displayName: '志愿者v5', withdrawnAt: expect.any(String), reason: '临时有事' }]);
    expect(a1.records.map((r) => [r.volunteerId, r.minutes, r.status])).toEqual([['v1', 100, 'approved'], ['v4', 60, 'revoked'], ['v2', 90, 'approved']]);
    expect((await activityView(rm.models, 'nope', NOW, CHINA_WORKING_DAYS))).toBeNull();
  });

  it('tells enrolled from no-show and checked-in from missed check-out by the activity’s window', async () => {
    const log = new TestLog();
    log.unit('c1', 'community', '一号社区');
    log.volunteer('v1', 'c1');
    log.volunteer('v2', 'c1');
    log.activity('A', 'c1', '2026-11-26T01:00:00.000Z', '2026-11-26T03:00:00.000Z');
    log.add('VolunteerEnrolled.v1', { activityId: 'A', volunteerId: 'v1', walkIn: false });
    log.add('VolunteerEnrolled.v1', { activityId: 'A', volunteerId: 'v2', walkIn: false });
    log.add('VolunteerCheckedIn.v1', { activityId: 'A', volunteerId: 'v1', at: '2026-11-26T01:00:00.000Z' });
    await rm.apply(log.events);
    expect((await activityView(rm.models, 'A', NOW, CHINA_WORKING_DAYS))!.roster.map((e) => e.attendance)).toEqual(['checked-in', 'enrolled']);
    const after = new Date('2026-11-26T03:01:00Z');
    expect((await activityView(rm.models, 'A', after, CHINA_WORKING_DAYS))!.roster.map((e) => e.attendance)).toEqual(['missed-check-out', 'no-show']);
    expect((await activityView(rm.models, 'A', after, CHINA_WORKING_DAYS))!.missedCheckOuts.map((m) => m.volunteerId)).toEqual(['v1']);
  });

  it('flags overdue activities: planned, past the 10th working day, with no live record; by subtree', async () => {
    await rm.apply(story().log.events);
    expect((await overdueActivities(rm.models, 's1', '2026-11-26', CHINA_WORKING_DAYS))).toEqual({
      total: 2,
      activities: [
        expect.objectContaining({ activityId: 'A5', orgUnitName: '一号社区', recordsDueBy: '2026-09-16' }),
        expect.objectContaining({ activityId: 'A2', orgUnitName: '二号社区', recordsDueBy: '2026-10-20' }),
      ],
    });
    expect((await overdueActivities(rm.models, 'd1', '2026-11-26', CHINA_WORKING_DAYS)).total).toBe(2);
    expect((await overdueActivities(rm.models, 'c2', '2026-11-26', CHINA_WORKING_DAYS)).activities.map((a) => a.activityId)).toEqual(['A2']);
    expect((await overdueActivities(rm.models, 'd2', '2026-11-26', CHINA_WORKING_DAYS)).activities.map((a) => a.activityId)).toEqual(['A7']);
    // A2 ended on 1 October, in the 国庆 holiday (1–7 October): due on Tuesday 2026-10-20 (8, 9, Saturday 10 by 调休,
    // 12–16, 19, 20), not overdue that day, overdue the next. Counting Monday to Friday it was overdue from the 16th.
    expect((await overdueActivities(rm.models, 'c2', '2026-10-16', CHINA_WORKING_DAYS)).total).toBe(0);
    expect((await overdueActivities(rm.models, 'c2', '2026-10-20', CHINA_WORKING_DAYS)).total).toBe(0);
    expect((await overdueActivities(rm.models, 'c2', '2026-10-21', CHINA_WORKING_DAYS)).total).toBe(1);
    expect((await overdueActivities(rm.models, 'c2', '2026-10-16', new WorkingDayCalendar({}))).total).toBe(1);
  });

  it('lists activities of a subtree, newest first, by start day and status', async () => {
    await rm.apply(story().log.events);
    const ids = (page: { activities: { activityId: string }[] }) => page.activities.map((a) => a.activityId);
    const s1 = (await listActivities(rm.models, { orgUnitId: 's1' }, NOW, CHINA_WORKING_DAYS));
    expect(s1.total).toBe(6);
    expect(ids(s1)).toEqual(['A3', 'A1', 'A2', 'A6', 'A5', 'A4']);
    expect(s1.activities.find((a) => a.activityId === 'A3')).toMatchObject({ startsAt: '2026-11-21T01:00:00.000Z', status: 'planned', overdue: false });
    expect(ids((await listActivities(rm.models, {}, NOW, CHINA_WORKING_DAYS)))).toContain('A7');
    expect(ids((await listActivities(rm.models, { orgUnitId: 's1', status: 'overdue' }, NOW, CHINA_WORKING_DAYS)))).toEqual(['A2', 'A5']);
    expect(ids((await listActivities(rm.models, { orgUnitId: 's1', status: 'cancelled' }, NOW, CHINA_WORKING_DAYS)))).toEqual(['A6']);
    expect(ids((await listActivities(rm.models, { orgUnitId: 'c1', status: 'completed' }, NOW, CHINA_WORKING_DAYS)))).toEqual(['A1']);
    expect(ids((await listActivities(rm.models, { orgUnitId: 's1', from: '2026-09-02', to: '2026-10-01' }, NOW, CHINA_WORKING_DAYS)))).toEqual(['A2', 'A6', 'A5']);
    const page = (await listActivities(rm.models, { orgUnitId: 's1', limit: 2, offset: 2 }, NOW, CHINA_WORKING_DAYS));
    expect([page.total, ids(page)]).toEqual([6, ['A2', 'A6']]);
    expect((await listActivities(rm.models, { orgUnitId: 's1' }, NOW, CHINA_WORKING_DAYS)).activities.filter((a) => a.overdue).map((a) => a.activityId)).toEqual(['A2', 'A5']);
  });

  it('is idempotent: every event twice, or an old reschedule or enrollment delivered again, changes nothing', async () => {
    const { log, firstReschedule } = story();
    await rm.apply(log.events);
    const once = await rm.dump();
    await rm.deliver(log.events);
    await rm.deliver(log.events.filter((e) => e.position === firstReschedule || e.type === 'VolunteerEnrolled.v1' || e.type === 'VolunteerCheckedIn.v1'));
    expect(await rm.dump()).toEqual(once);
    expect((await activityView(rm.models, 'A3', NOW, CHINA_WORKING_DAYS))!.startsAt).toBe('2026-11-21T01:00:00.000Z');
    expect((await activityView(rm.models, 'A1', NOW, CHINA_WORKING_DAYS))!.withdrawn.map((w) => w.volunteerId)).toEqual(['v5']);
  });

  it('a volunteer who withdrew and enrolled again is on the roster afresh', async () => {
    const log = new TestLog();
    log.unit('c1', 'community', '一号社区');
    log.volunteer('v1', 'c1');
    log.activity('A', 'c1', '2026-11-26T01:00:00.000Z', '2026-11-26T03:00:00.000Z');
    log.add('VolunteerEnrolled.v1', { activityId: 'A', volunteerId: 'v1', walkIn: false });
    log.add('EnrollmentWithdrawn.v1', { activityId: 'A', volunteerId: 'v1', reason: null });
    log.add('VolunteerEnrolled.v1', { activityId: 'A', volunteerId: 'v1', walkIn: false });
    await rm.apply(log.events);
    await rm.deliver(log.events);
    const view = (await activityView(rm.models, 'A', NOW, CHINA_WORKING_DAYS))!;
    expect([view.roster.map((e) => e.volunteerId), view.withdrawn]).toEqual([['v1'], []]);
  });
});
