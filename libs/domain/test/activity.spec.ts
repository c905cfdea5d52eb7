import {
  activityDecider,
  activityStream,
  attendanceRecordId,
  type ActivityCancelled,
  type ActivityCommand,
  type ActivityCompleted,
  type ActivityEvent,
  type ActivityRescheduled,
  type EnrollmentWithdrawn,
  type ServiceCategory,
  type VolunteerCheckedIn,
  type VolunteerCheckedOut,
  type VolunteerEnrolled,
} from '../src';
import { spec } from './decider-spec';
import { activityPlanned, community, ENDS_AT, missingOrgUnit, missingVolunteer, STARTS_AT, volunteer } from './fixtures';

// The activity runs 2026-03-10 09:00–11:00 Asia/Shanghai = 01:00Z–03:00Z.
const dayBefore = new Date('2026-03-09T02:00:00Z');
const during = new Date('2026-03-10T02:00:00Z');
const afterwards = new Date('2026-03-10T04:00:00Z');

const planned = activityPlanned();
const enrolled = (volunteerId: string, walkIn = false): VolunteerEnrolled => ({ type: 'VolunteerEnrolled.v1', data: { activityId: 'act-1', volunteerId, walkIn } });
const checkedIn = (volunteerId: string, at: string): VolunteerCheckedIn => ({ type: 'VolunteerCheckedIn.v1', data: { activityId: 'act-1', volunteerId, at } });
const checkedOut = (volunteerId: string, at: string): VolunteerCheckedOut => ({ type: 'VolunteerCheckedOut.v1', data: { activityId: 'act-1', volunteerId, at } });
const cancelled: ActivityCancelled = { type: 'ActivityCancelled.v1', data: { activityId: 'act-1', reason: '暴雨' } };
const completed: ActivityCompleted = {
  type: 'ActivityCompleted.v1',
  data: { activityId: 'act-1', beneficiaries: null, completedAt: '2026-03-10T04:00:00.000Z', credited: [], notCredited: [] },
};
const withdrawn = (volunteerId: string): EnrollmentWithdrawn => ({ type: 'EnrollmentWithdrawn.v1', data: { activityId: 'act-1', volunteerId, reason: null } });

const plan = (overrides: Partial<Extract<ActivityCommand, { type: 'PlanActivity' }>> = {}): ActivityCommand => ({
  type: 'PlanActivity',
  activityId: 'act-1',
  orgUnitId: 'taohuawu',
  title: '反诈宣传进社区',
  category: 'anti-fraud',
  location: '桃花坞社区党群服务中心',
  startsAt: STARTS_AT,
  endsAt: ENDS_AT,
  description: '发放反诈宣传单',
  personInCharge: '李书记',
  ...overrides,
});
const planCtx = { now: dayBefore, orgUnit: community };

describe('activities', () => {
  it('names its stream activity-<id>', () => {
    expect(activityStream('act-1')).toBe('activity-act-1');
  });

  describe('PlanActivity', () => {
    it('plans an activity with trimmed texts and normalised UTC instants', () => {
      spec(activityDecider)
        .given([])
        .when(plan({
          title: ' 反诈宣传进社区 ', location: ' 桃花坞社区党群服务中心 ',
          startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00', capacity: 20,
        }), planCtx)
        .then([activityPlanned({ capacity: 20 })]);
    });

    it('leaves capacity, description and person in charge empty when not given or blank', () => {
      spec(activityDecider)
        .given([])
        .when({
          type: 'PlanActivity', activityId: 'act-1', orgUnitId: 'taohuawu', title: '反诈宣传进社区', category: 'anti-fraud',
          location: '桃花坞社区党群服务中心', startsAt: STARTS_AT, endsAt: ENDS_AT, description: '  ',
        }, planCtx)
        .then([activityPlanned({ description: null, personInCharge: null })]);
    });

    it('accepts a window of exactly 24 hours and capacity 10000', () => {
      spec(activityDecider)
        .given([])
        .when(plan({ endsAt: '2026-03-11T01:00:00Z', capacity: 10_000 }), planCtx)
        .then([activityPlanned({ endsAt: '2026-03-11T01:00:00.000Z', capacity: 10_000 })]);
    });

    it('refuses an activity that already exists', () => {
      spec(activityDecider).given([planned]).when(plan(), planCtx).thenRefuses('activity-exists', 'conflict');
      spec(activityDecider).given([planned, cancelled]).when(plan(), planCtx).thenRefuses('activity-exists', 'conflict');
    });

    it('refuses an org unit that does not exist', () => {
      spec(activityDecider).given([]).when(plan(), { now: dayBefore }).thenRefuses('org-unit-not-found', 'invalid');
      spec(activityDecider).given([]).when(plan(), { now: dayBefore, orgUnit: missingOrgUnit }).thenRefuses('org-unit-not-found', 'invalid');
    });

    it('refuses an unknown category', () => {
      spec(activityDecider)
        .given([])
        .when(plan({ category: 'karaoke' as string as ServiceCategory }), planCtx)
        .thenRefuses('category-unknown', 'invalid');
    });

    it.each([0, -3, 2.5, 10_001, Number.NaN])('refuses capacity %p', (capacity) => {
      spec(activityDecider).given([]).when(plan({ capacity }), planCtx).thenRefuses('capacity-invalid', 'invalid');
    });

    it('refuses an empty or too long title', () => {
      spec(activityDecider).given([]).when(plan({ title: ' ' }), planCtx).thenRefuses('title-required', 'invalid');
      spec(activityDecider).given([]).when(plan({ title: '题'.repeat(101) }), planCtx).thenRefuses('title-too-long', 'invalid');
    });

    it('refuses an empty or too long location', () => {
      spec(activityDecider).given([]).when(plan({ location: '' }), planCtx).thenRefuses('location-required', 'invalid');
      spec(activityDecider).given([]).when(plan({ location: '地'.repeat(201) }), planCtx).thenRefuses('location-too-long', 'invalid');
    });

    it('refuses start and end times that are not date-times', () => {
      spec(activityDecider).given([]).when(plan({ startsAt: 'tomorrow morning' }), planCtx).thenRefuses('startsAt-invalid', 'invalid');
      spec(activityDecider).given([]).when(plan({ endsAt: '' }), planCtx).thenRefuses('endsAt-invalid', 'invalid');
    });

    it('refuses an end that is not after the start', () => {
      spec(activityDecider).given([]).when(plan({ endsAt: STARTS_AT }), planCtx).thenRefuses('window-invalid', 'invalid');
      spec(activityDecider).given([]).when(plan({ startsAt: ENDS_AT, endsAt: STARTS_AT }), planCtx).thenRefuses('window-invalid', 'invalid');
    });

    it('refuses a window longer than 24 hours', () => {
      spec(activityDecider).given([]).when(plan({ endsAt: '2026-03-11T01:01:00Z' }), planCtx).thenRefuses('window-too-long', 'invalid');
    });

    it('refuses a too long description or person in charge', () => {
      spec(activityDecider).given([]).when(plan({ description: '述'.repeat(2001) }), planCtx).thenRefuses('description-too-long', 'invalid');
      spec(activityDecider).given([]).when(plan({ personInCharge: '人'.repeat(51) }), planCtx).thenRefuses('personInCharge-too-long', 'invalid');
    });
  });

  describe('every command after planning', () => {
    const commands: ActivityCommand[] = [
      { type: 'RescheduleActivity', activityId: 'act-1', startsAt: '2026-03-11T01:00:00Z', endsAt: '2026-03-11T03:00:00Z' },
      { type: 'CancelActivity', activityId: 'act-1', reason: '暴雨' },
      { type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-1' },
      { type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1' },
      { type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' },
      { type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1' },
      { type: 'CompleteActivity', activityId: 'act-1' },
    ];
    const ctx = { now: during, volunteer };

    it.each(commands.map((c) => [c.type, c] as const))('%s refuses an activity that does not exist', (_type, command) => {
      spec(activityDecider).given([]).when(command, ctx).thenRefuses('activity-not-found', 'not-found');
    });

    it.each(commands.map((c) => [c.type, c] as const))('%s refuses a cancelled activity', (_type, command) => {
      spec(activityDecider).given([planned, enrolled('vol-1'), cancelled]).when(command, ctx).thenRefuses('activity-cancelled', 'conflict');
    });

    it.each(commands.map((c) => [c.type, c] as const))('%s refuses a completed activity', (_type, command) => {
      spec(activityDecider).given([planned, enrolled('vol-1'), completed]).when(command, ctx).thenRefuses('activity-completed', 'conflict');
    });
  });

  describe('RescheduleActivity', () => {
    it('moves the window, normalising instants and trimming the reason', () => {
      spec(activityDecider)
        .given([planned, enrolled('vol-1')])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: '2026-03-11T09:00:00+08:00', endsAt: '2026-03-11T11:30:00+08:00', reason: ' 下雨 ' }, { now: dayBefore })
        .then([{ type: 'ActivityRescheduled.v1', data: { activityId: 'act-1', startsAt: '2026-03-11T01:00:00.000Z', endsAt: '2026-03-11T03:30:00.000Z', reason: '下雨' } }]);
    });

    it('records no reason when none is given', () => {
      spec(activityDecider)
        .given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: STARTS_AT, endsAt: '2026-03-10T04:00:00Z' }, { now: dayBefore })
        .then([{ type: 'ActivityRescheduled.v1', data: { activityId: 'act-1', startsAt: STARTS_AT, endsAt: '2026-03-10T04:00:00.000Z', reason: null } }]);
    });

    it('uses the new window for later check-ins', () => {
      const rescheduled: ActivityRescheduled = {
        type: 'ActivityRescheduled.v1', data: { activityId: 'act-1', startsAt: '2026-03-10T05:00:00.000Z', endsAt: '2026-03-10T07:00:00.000Z', reason: null },
      };
      const given = spec(activityDecider).given([planned, rescheduled]);
      expect(given.state.details).toMatchObject({ startsAt: '2026-03-10T05:00:00.000Z', endsAt: '2026-03-10T07:00:00.000Z' });
      // 01:30Z was inside the old window but is 3.5 h before the new start.
      given.when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T01:30:00Z' }, { now: during, volunteer })
        .thenRefuses('check-in-too-early', 'invalid');
    });

    it('refuses an invalid new window', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: 'soon', endsAt: ENDS_AT }, { now: dayBefore })
        .thenRefuses('startsAt-invalid', 'invalid');
      spec(activityDecider).given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: STARTS_AT, endsAt: 'later' }, { now: dayBefore })
        .thenRefuses('endsAt-invalid', 'invalid');
      spec(activityDecider).given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: ENDS_AT, endsAt: STARTS_AT }, { now: dayBefore })
        .thenRefuses('window-invalid', 'invalid');
      spec(activityDecider).given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: STARTS_AT, endsAt: '2026-03-11T02:00:00Z' }, { now: dayBefore })
        .thenRefuses('window-too-long', 'invalid');
    });

    it('refuses once a volunteer has checked in', () => {
      spec(activityDecider)
        .given([planned, enrolled('vol-1'), checkedIn('vol-1', '2026-03-10T00:30:00.000Z')])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: '2026-03-11T01:00:00Z', endsAt: '2026-03-11T03:00:00Z' }, { now: during })
        .thenRefuses('attendance-started', 'conflict');
    });

    it('refuses the same window, however it is written', () => {
      spec(activityDecider)
        .given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00' }, { now: dayBefore })
        .thenRefuses('window-unchanged', 'conflict');
    });

    it('refuses a reason longer than 500 characters', () => {
      spec(activityDecider)
        .given([planned])
        .when({ type: 'RescheduleActivity', activityId: 'act-1', startsAt: STARTS_AT, endsAt: '2026-03-10T04:00:00Z', reason: '因'.repeat(501) }, { now: dayBefore })
        .thenRefuses('reason-too-long', 'invalid');
    });
  });

  describe('CancelActivity', () => {
    it('cancels with a trimmed reason', () => {
      spec(activityDecider)
        .given([planned, enrolled('vol-1')])
        .when({ type: 'CancelActivity', activityId: 'act-1', reason: ' 暴雨 ' }, { now: dayBefore })
        .then([cancelled]);
      expect(spec(activityDecider).given([planned, cancelled]).state.status).toBe('cancelled');
    });

    it('refuses an empty or too long reason', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'CancelActivity', activityId: 'act-1', reason: '  ' }, { now: dayBefore })
        .thenRefuses('reason-required', 'invalid');
      spec(activityDecider).given([planned])
        .when({ type: 'CancelActivity', activityId: 'act-1', reason: '因'.repeat(501) }, { now: dayBefore })
        .thenRefuses('reason-too-long', 'invalid');
    });

    it('accepts a reason of exactly 500 characters', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'CancelActivity', activityId: 'act-1', reason: '因'.repeat(500) }, { now: dayBefore })
        .then([{ type: 'ActivityCancelled.v1', data: { activityId: 'act-1', reason: '因'.repeat(500) } }]);
    });
  });

  describe('EnrollVolunteer', () => {
    it('enrolls a registered volunteer (not a walk-in)', () => {
      spec(activityDecider)
        .given([planned])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore, volunteer })
        .then([enrolled('vol-1')]);
    });

    it('fills the last place, and a withdrawal frees a place', () => {
      const small = activityPlanned({ capacity: 2 });
      spec(activityDecider)
        .given([small, enrolled('vol-a')])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore, volunteer })
        .then([enrolled('vol-1')]);
      spec(activityDecider)
        .given([small, enrolled('vol-a'), enrolled('vol-b'), withdrawn('vol-b')])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore, volunteer })
        .then([enrolled('vol-1')]);
    });

    it('refuses a volunteer who does not exist', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-9' }, { now: dayBefore, volunteer: missingVolunteer })
        .thenRefuses('volunteer-not-found', 'invalid');
      spec(activityDecider).given([planned])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-9' }, { now: dayBefore })
        .thenRefuses('volunteer-not-found', 'invalid');
    });

    it('refuses a volunteer already enrolled', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore, volunteer })
        .thenRefuses('already-enrolled', 'conflict');
    });

    it('refuses when the activity is full', () => {
      spec(activityDecider).given([activityPlanned({ capacity: 2 }), enrolled('vol-a'), enrolled('vol-b')])
        .when({ type: 'EnrollVolunteer', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore, volunteer })
        .thenRefuses('activity-full', 'conflict');
    });
  });

  describe('WithdrawEnrollment', () => {
    it('withdraws an enrolled volunteer, with or without a reason', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore })
        .then([withdrawn('vol-1')]);
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1', reason: ' 生病 ' }, { now: dayBefore })
        .then([{ type: 'EnrollmentWithdrawn.v1', data: { activityId: 'act-1', volunteerId: 'vol-1', reason: '生病' } }]);
      expect(spec(activityDecider).given([planned, enrolled('vol-1'), withdrawn('vol-1')]).state.roster.has('vol-1')).toBe(false);
    });

    it('refuses a volunteer who is not enrolled', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore })
        .thenRefuses('not-enrolled', 'conflict');
      spec(activityDecider).given([planned, enrolled('vol-1'), withdrawn('vol-1')])
        .when({ type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1' }, { now: dayBefore })
        .thenRefuses('not-enrolled', 'conflict');
    });

    it('refuses a volunteer who has checked in', () => {
      spec(activityDecider).given([planned, enrolled('vol-1'), checkedIn('vol-1', '2026-03-10T01:05:00.000Z')])
        .when({ type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1' }, { now: during })
        .thenRefuses('already-checked-in', 'conflict');
    });

    it('refuses a reason longer than 500 characters', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'WithdrawEnrollment', activityId: 'act-1', volunteerId: 'vol-1', reason: '因'.repeat(501) }, { now: dayBefore })
        .thenRefuses('reason-too-long', 'invalid');
    });
  });

  describe('CheckIn', () => {
    const ctx = { now: during, volunteer };

    it('checks in an enrolled volunteer at the given instant', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T09:05:00+08:00' }, ctx)
        .then([checkedIn('vol-1', '2026-03-10T01:05:00.000Z')]);
    });

    it('checks in at now when no instant is given', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' }, ctx)
        .then([checkedIn('vol-1', '2026-03-10T02:00:00.000Z')]);
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: null }, ctx)
        .then([checkedIn('vol-1', '2026-03-10T02:00:00.000Z')]);
    });

    it('enrolls a walk-in and checks them in', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T01:10:00Z' }, ctx)
        .then([enrolled('vol-1', true), checkedIn('vol-1', '2026-03-10T01:10:00.000Z')]);
    });

    it('refuses a walk-in who is not a registered volunteer', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-9' }, { now: during, volunteer: missingVolunteer })
        .thenRefuses('volunteer-not-found', 'invalid');
    });

    it('refuses a walk-in when the activity is full, but lets an enrolled volunteer in', () => {
      const full = [activityPlanned({ capacity: 1 }), enrolled('vol-a')];
      spec(activityDecider).given(full)
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('activity-full', 'conflict');
      spec(activityDecider).given(full)
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-a' }, ctx)
        .then([checkedIn('vol-a', '2026-03-10T02:00:00.000Z')]);
    });

    it('opens check-in exactly one hour before the start and refuses anything earlier', () => {
      const early = { now: new Date('2026-03-10T00:00:00Z'), volunteer };
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T00:00:00Z' }, early)
        .then([checkedIn('vol-1', '2026-03-10T00:00:00.000Z')]);
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-09T23:59:00Z' }, early)
        .thenRefuses('check-in-too-early', 'invalid');
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' }, { now: new Date('2026-03-09T23:00:00Z'), volunteer })
        .thenRefuses('check-in-too-early', 'invalid');
    });

    it('accepts a check-in at the end and refuses one after the end', () => {
      const later = { now: afterwards, volunteer };
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: ENDS_AT }, later)
        .then([checkedIn('vol-1', ENDS_AT)]);
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T03:01:00Z' }, later)
        .thenRefuses('check-in-after-end', 'invalid');
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' }, later)
        .thenRefuses('check-in-after-end', 'invalid');
    });

    it('tolerates 5 minutes of clock skew and refuses an instant further in the future', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T02:05:00Z' }, ctx)
        .then([checkedIn('vol-1', '2026-03-10T02:05:00.000Z')]);
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T02:05:01Z' }, ctx)
        .thenRefuses('at-in-future', 'invalid');
    });

    it('refuses an instant that is not a date-time', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1', at: 'just now' }, ctx)
        .thenRefuses('at-invalid', 'invalid');
    });

    it('refuses a second check-in', () => {
      spec(activityDecider).given([planned, enrolled('vol-1'), checkedIn('vol-1', '2026-03-10T01:05:00.000Z')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('already-checked-in', 'conflict');
    });

    it('refuses a check-in after check-out', () => {
      spec(activityDecider)
        .given([planned, enrolled('vol-1'), checkedIn('vol-1', '2026-03-10T01:05:00.000Z'), checkedOut('vol-1', '2026-03-10T01:50:00.000Z')])
        .when({ type: 'CheckIn', activityId: 'act-1', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('already-checked-out', 'conflict');
    });
  });

  describe('CheckOut', () => {
    const given = [planned, enrolled('vol-1'), checkedIn('vol-1', '2026-03-10T01:05:00.000Z')];

    it('checks out at the given instant', () => {
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T10:45:00+08:00' }, { now: afterwards })
        .then([checkedOut('vol-1', '2026-03-10T02:45:00.000Z')]);
    });

    it('checks out at now when no instant is given, even after the end', () => {
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1' }, { now: afterwards })
        .then([checkedOut('vol-1', '2026-03-10T04:00:00.000Z')]);
    });

    it('accepts a check-out at the check-in instant and refuses one before it', () => {
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T01:05:00Z' }, { now: during })
        .then([checkedOut('vol-1', '2026-03-10T01:05:00.000Z')]);
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T01:04:59Z' }, { now: during })
        .thenRefuses('check-out-before-check-in', 'invalid');
    });

    it('refuses a volunteer who has not checked in', () => {
      spec(activityDecider).given([planned, enrolled('vol-1')])
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1' }, { now: during })
        .thenRefuses('not-checked-in', 'conflict');
      spec(activityDecider).given([planned])
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1' }, { now: during })
        .thenRefuses('not-checked-in', 'conflict');
    });

    it('refuses a second check-out', () => {
      spec(activityDecider).given([...given, checkedOut('vol-1', '2026-03-10T02:45:00.000Z')])
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1' }, { now: afterwards })
        .thenRefuses('already-checked-out', 'conflict');
    });

    it('tolerates 5 minutes of clock skew and refuses an instant further in the future', () => {
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T02:05:00Z' }, { now: during })
        .then([checkedOut('vol-1', '2026-03-10T02:05:00.000Z')]);
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1', at: '2026-03-10T02:05:00.001Z' }, { now: during })
        .thenRefuses('at-in-future', 'invalid');
    });

    it('refuses an instant that is not a date-time', () => {
      spec(activityDecider).given(given)
        .when({ type: 'CheckOut', activityId: 'act-1', volunteerId: 'vol-1', at: '10:45' }, { now: during })
        .thenRefuses('at-invalid', 'invalid');
    });
  });

  describe('CompleteActivity', () => {
    it('credits attendance clamped to the window and flags what it cannot credit', () => {
      const history: ActivityEvent[] = [
        planned,
        // Early bird: in 30 min before the start, out 30 min after the end -> only the 120 window minutes.
        enrolled('vol-a'), checkedIn('vol-a', '2026-03-10T00:30:00.000Z'), checkedOut('vol-a', '2026-03-10T03:30:00.000Z'),
        // Inside the window: 01:15 to 02:45:30 -> 90 whole minutes.
        enrolled('vol-b'), checkedIn('vol-b', '2026-03-10T01:15:00.000Z'), checkedOut('vol-b', '2026-03-10T02:45:30.000Z'),
        // Checked in, never out: flagged, not credited.
        enrolled('vol-c', true), checkedIn('vol-c', '2026-03-10T01:10:00.000Z'),
        // Enrolled, never came.
        enrolled('vol-d'),
        // Left before the start.
        enrolled('vol-e'), checkedIn('vol-e', '2026-03-10T00:10:00.000Z'), checkedOut('vol-e', '2026-03-10T00:50:00.000Z'),
      ];
      spec(activityDecider).given(history)
        .when({ type: 'CompleteActivity', activityId: 'act-1', beneficiaries: 35 }, { now: afterwards })
        .then([{
          type: 'ActivityCompleted.v1',
          data: {
            activityId: 'act-1',
            beneficiaries: 35,
            completedAt: '2026-03-10T04:00:00.000Z',
            credited: [
              { volunteerId: 'vol-a', recordId: attendanceRecordId('act-1', 'vol-a'), minutes: 120 },
              { volunteerId: 'vol-b', recordId: attendanceRecordId('act-1', 'vol-b'), minutes: 90 },
            ],
            notCredited: [
              { volunteerId: 'vol-c', reason: 'missed-check-out' },
              { volunteerId: 'vol-d', reason: 'no-show' },
              { volunteerId: 'vol-e', reason: 'no-time-in-window' },
            ],
          },
        }]);
    });

    it('credits in enrolment order: a volunteer who withdrew and enrolled again comes after those enrolled meanwhile', () => {
      const history: ActivityEvent[] = [
        planned, enrolled('vol-a'), enrolled('vol-b'), withdrawn('vol-a'), enrolled('vol-c'), enrolled('vol-a'),
        ...['vol-a', 'vol-b', 'vol-c'].flatMap((v) => [checkedIn(v, '2026-03-10T01:00:00.000Z'), checkedOut(v, '2026-03-10T02:00:00.000Z')]),
      ];
      const [event] = spec(activityDecider).given(history).when({ type: 'CompleteActivity', activityId: 'act-1' }, { now: afterwards }).thenEvents();
      expect((event as ActivityCompleted).data.credited.map((c) => c.volunteerId)).toEqual(['vol-b', 'vol-c', 'vol-a']);
    });

    it('never changes an earlier state: each event gives a new one (a cached state may be in use by another command)', () => {
      const before = spec(activityDecider).given([planned, enrolled('vol-a')]).state;
      const after = [checkedIn('vol-a', '2026-03-10T01:00:00.000Z'), withdrawn('vol-b'), enrolled('vol-b')]
        .reduce((s, e) => activityDecider.evolve(s, e), before);
      expect(before.roster.get('vol-a')).toEqual({ checkedInAt: null, checkedOutAt: null });
      expect(before.roster.has('vol-b')).toBe(false);
      expect(after.roster.get('vol-a')).toEqual({ checkedInAt: '2026-03-10T01:00:00.000Z', checkedOutAt: null });
      expect([...after.roster.keys()]).toEqual(['vol-a', 'vol-b']);
    });

    it('completes an activity with nobody on the roster, beneficiaries unknown', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'CompleteActivity', activityId: 'act-1' }, { now: afterwards })
        .then([completed]);
      expect(spec(activityDecider).given([planned, completed]).state.status).toBe('completed');
    });

    it('may complete from the start; whoever is still checked in is flagged', () => {
      spec(activityDecider).given([planned, enrolled('vol-1'), checkedIn('vol-1', '2026-03-10T00:30:00.000Z')])
        .when({ type: 'CompleteActivity', activityId: 'act-1', beneficiaries: 0 }, { now: new Date(STARTS_AT) })
        .then([{
          type: 'ActivityCompleted.v1',
          data: {
            activityId: 'act-1', beneficiaries: 0, completedAt: STARTS_AT, credited: [],
            notCredited: [{ volunteerId: 'vol-1', reason: 'missed-check-out' }],
          },
        }]);
    });

    it('refuses to complete an activity that has not started', () => {
      spec(activityDecider).given([planned])
        .when({ type: 'CompleteActivity', activityId: 'act-1' }, { now: new Date('2026-03-10T00:59:59Z') })
        .thenRefuses('activity-not-started', 'conflict');
    });

    it.each([-1, 2.5, 1_000_001])('refuses beneficiaries %p', (beneficiaries) => {
      spec(activityDecider).given([planned])
        .when({ type: 'CompleteActivity', activityId: 'act-1', beneficiaries }, { now: afterwards })
        .thenRefuses('beneficiaries-invalid', 'invalid');
    });
  });
});
