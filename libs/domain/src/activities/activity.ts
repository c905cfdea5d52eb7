import { OrderedMap } from 'immutable';
import { isServiceCategory, type ServiceCategory } from '../shared/categories';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { Decider, DecisionContext, DomainEvent } from '../shared/event';
import { optionalText, requiredText } from '../shared/text';
import { MINUTE_MS, toIso } from '../shared/time';
import type { OrgUnitState } from '../org-units/org-unit';
import type { VolunteerState } from '../volunteers/volunteer';
import { creditAttendance, type AttendanceCredit, type NotCredited } from './credit-attendance';

/** An activity's window may not exceed one day: a multi-day event is planned as one activity per day. */
export const MAX_ACTIVITY_MINUTES = 24 * 60;
/** Volunteers may check in up to this long before the start. */
export const EARLY_CHECK_IN_MINUTES = 60;
/** Tolerated client clock skew for `at` timestamps in the future. */
export const CLOCK_SKEW_MINUTES = 5;

export interface ActivityDetails {
  activityId: string;
  orgUnitId: string;
  title: string;
  category: ServiceCategory;
  location: string;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  description: string | null;
  personInCharge: string | null;
}

export type ActivityPlanned = DomainEvent<'ActivityPlanned.v1', ActivityDetails>;
export type ActivityRescheduled = DomainEvent<'ActivityRescheduled.v1', { activityId: string; startsAt: string; endsAt: string; reason: string | null }>;
export type ActivityCancelled = DomainEvent<'ActivityCancelled.v1', { activityId: string; reason: string }>;
export type VolunteerEnrolled = DomainEvent<'VolunteerEnrolled.v1', { activityId: string; volunteerId: string; walkIn: boolean }>;
export type EnrollmentWithdrawn = DomainEvent<'EnrollmentWithdrawn.v1', { activityId: string; volunteerId: string; reason: string | null }>;
export type VolunteerCheckedIn = DomainEvent<'VolunteerCheckedIn.v1', { activityId: string; volunteerId: string; at: string }>;
export type VolunteerCheckedOut = DomainEvent<'VolunteerCheckedOut.v1', { activityId: string; volunteerId: string; at: string }>;
export type ActivityCompleted = DomainEvent<'ActivityCompleted.v1', {
  activityId: string;
  beneficiaries: number | null;
  completedAt: string;
  credited: AttendanceCredit[];
  notCredited: NotCredited[];
}>;
export type ActivityEvent =
  | ActivityPlanned | ActivityRescheduled | ActivityCancelled | VolunteerEnrolled | EnrollmentWithdrawn
  | VolunteerCheckedIn | VolunteerCheckedOut | ActivityCompleted;

export type PlanActivity = {
  type: 'PlanActivity'; activityId: string; orgUnitId: string; title: string; category: ServiceCategory;
  location: string; startsAt: string; endsAt: string; capacity?: number | null; description?: string | null; personInCharge?: string | null;
};
export type RescheduleActivity = { type: 'RescheduleActivity'; activityId: string; startsAt: string; endsAt: string; reason?: string | null };
export type CancelActivity = { type: 'CancelActivity'; activityId: string; reason: string };
export type EnrollVolunteer = { type: 'EnrollVolunteer'; activityId: string; volunteerId: string };
export type WithdrawEnrollment = { type: 'WithdrawEnrollment'; activityId: string; volunteerId: string; reason?: string | null };
export type CheckIn = { type: 'CheckIn'; activityId: string; volunteerId: string; at?: string | null };
export type CheckOut = { type: 'CheckOut'; activityId: string; volunteerId: string; at?: string | null };
export type CompleteActivity = { type: 'CompleteActivity'; activityId: string; beneficiaries?: number | null };
export type ActivityCommand =
  | PlanActivity | RescheduleActivity | CancelActivity | EnrollVolunteer | WithdrawEnrollment | CheckIn | CheckOut | CompleteActivity;

export type ActivityStatus = 'none' | 'planned' | 'cancelled' | 'completed';

export interface Attendance {
  readonly checkedInAt: string | null;
  readonly checkedOutAt: string | null;
}

export interface ActivityState {
  readonly status: ActivityStatus;
  readonly details: ActivityDetails | null;
  /**
   * Enrolled volunteers (including walk-ins) and their attendance, in the order they enrolled. A
   * persistent map: the state after a check-in shares all other attendees with the state before,
   * instead of copying them, so folding an activity's stream stays linear in its events.
   */
  readonly roster: OrderedMap<string, Attendance>;
}

export interface ActivityContext extends DecisionContext {
  readonly orgUnit?: OrgUnitState;
  readonly volunteer?: VolunteerState;
  /** For completion: volunteers whose service for this activity was already recorded by hand. */
  readonly recordedVolunteers?: ReadonlySet<string>;
}

export const activityStream = (activityId: string) => `activity-${activityId}`;

const initialState: ActivityState = { status: 'none', details: null, roster: OrderedMap() };

function withAttendee(state: ActivityState, volunteerId: string, attendance: Attendance | null): ActivityState {
  return { ...state, roster: attendance === null ? state.roster.delete(volunteerId) : state.roster.set(volunteerId, attendance) };
}

function evolve(state: ActivityState, event: ActivityEvent): ActivityState {
  switch (event.type) {
    case 'ActivityPlanned.v1':
      return { ...state, status: 'planned', details: event.data };
    case 'ActivityRescheduled.v1':
      return { ...state, details: state.details && { ...state.details, startsAt: event.data.startsAt, endsAt: event.data.endsAt } };
    case 'ActivityCancelled.v1':
      return { ...state, status: 'cancelled' };
    case 'VolunteerEnrolled.v1':
      return withAttendee(state, event.data.volunteerId, { checkedInAt: null, checkedOutAt: null });
    case 'EnrollmentWithdrawn.v1':
      return withAttendee(state, event.data.volunteerId, null);
    case 'VolunteerCheckedIn.v1':
      return withAttendee(state, event.data.volunteerId, { checkedInAt: event.data.at, checkedOutAt: null });
    case 'VolunteerCheckedOut.v1': {
      const current = state.roster.get(event.data.volunteerId);
      return withAttendee(state, event.data.volunteerId, { checkedInAt: current?.checkedInAt ?? null, checkedOutAt: event.data.at });
    }
    case 'ActivityCompleted.v1':
      return { ...state, status: 'completed' };
    default:
      return state;
  }
}

function parseInstant(value: string | null | undefined, field: string, label: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw invalid(`${field}-invalid`, `${label}不是有效的时间。(${field} is not a valid date-time.)`);
  return ms;
}

function checkWindow(startsAt: string, endsAt: string): { startsAt: string; endsAt: string } {
  const start = parseInstant(startsAt, 'startsAt', '开始时间');
  const end = parseInstant(endsAt, 'endsAt', '结束时间');
  if (end <= start) throw invalid('window-invalid', '结束时间必须晚于开始时间。(endsAt must be after startsAt.)');
  if (end - start > MAX_ACTIVITY_MINUTES * MINUTE_MS) {
    throw invalid('window-too-long', '一次活动不能超过 24 小时；跨天活动请按天分别登记。(An activity lasts at most 24 hours; plan one per day.)');
  }
  return { startsAt: toIso(new Date(start)), endsAt: toIso(new Date(end)) };
}

/** The instant of a check-in or check-out: given by the client or now; never in the future. */
function attendanceInstant(at: string | null | undefined, now: Date): number {
  if (at === undefined || at === null) return now.getTime();
  const ms = parseInstant(at, 'at', '签到/签退时间');
  if (ms > now.getTime() + CLOCK_SKEW_MINUTES * MINUTE_MS) throw invalid('at-in-future', '签到/签退时间不能晚于现在。(at lies in the future.)');
  return ms;
}

function requireOpen(state: ActivityState): ActivityDetails {
  if (state.status === 'none' || state.details === null) throw notFound('activity-not-found', '找不到该活动。(Activity not found.)');
  if (state.status === 'cancelled') throw conflict('activity-cancelled', '活动已取消。(The activity was cancelled.)');
  if (state.status === 'completed') throw conflict('activity-completed', '活动已结束并已记录时长。(The activity is already completed.)');
  return state.details;
}

function requireVolunteer(context: ActivityContext): VolunteerState {
  if (!context.volunteer?.exists) throw invalid('volunteer-not-found', '找不到该志愿者。(The volunteer does not exist.)');
  return context.volunteer;
}

function checkCapacity(details: ActivityDetails, state: ActivityState): void {
  if (details.capacity !== null && state.roster.size >= details.capacity) {
    throw conflict('activity-full', `活动名额已满（${details.capacity} 人）。(The activity is full.)`);
  }
}

function decide(command: ActivityCommand, state: ActivityState, context: ActivityContext): ActivityEvent[] {
  switch (command.type) {
    case 'PlanActivity': {
      if (state.status !== 'none') throw conflict('activity-exists', '该活动已存在。(This activity already exists.)');
      if (!context.orgUnit?.exists) throw invalid('org-unit-not-found', '找不到组织单位。(The org unit does not exist.)');
      if (!isServiceCategory(command.category)) throw invalid('category-unknown', '服务类别不正确。(Unknown category.)');
      const capacity = command.capacity ?? null;
      if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000)) {
        throw invalid('capacity-invalid', '名额应为 1 到 10000 之间的整数。(capacity must be an integer from 1 to 10000.)');
      }
      return [{
        type: 'ActivityPlanned.v1',
        data: {
          activityId: command.activityId,
          orgUnitId: command.orgUnitId,
          title: requiredText(command.title, 'title', '活动名称', 100),
          category: command.category,
          location: requiredText(command.location, 'location', '活动地点', 200),
          ...checkWindow(command.startsAt, command.endsAt),
          capacity,
          description: optionalText(command.description, 'description', '服务内容', 2000),
          personInCharge: optionalText(command.personInCharge, 'personInCharge', '负责人', 50),
        },
      }];
    }
    case 'RescheduleActivity': {
      const details = requireOpen(state);
      const window = checkWindow(command.startsAt, command.endsAt);
      if (state.roster.some((a) => a.checkedInAt !== null)) {
        throw conflict('attendance-started', '已有志愿者签到，不能再改时间。(Volunteers have checked in; the time can no longer change.)');
      }
      if (window.startsAt === details.startsAt && window.endsAt === details.endsAt) {
        throw conflict('window-unchanged', '新时间与原时间相同。(The new time is the same as the current one.)');
      }
      return [{ type: 'ActivityRescheduled.v1', data: { activityId: details.activityId, ...window, reason: optionalText(command.reason, 'reason', '原因') } }];
    }
    case 'CancelActivity': {
      const details = requireOpen(state);
      return [{ type: 'ActivityCancelled.v1', data: { activityId: details.activityId, reason: requiredText(command.reason, 'reason', '取消原因') } }];
    }
    case 'EnrollVolunteer': {
      const details = requireOpen(state);
      requireVolunteer(context);
      if (state.roster.has(command.volunteerId)) throw conflict('already-enrolled', '该志愿者已报名。(The volunteer is already enrolled.)');
      checkCapacity(details, state);
      return [{ type: 'VolunteerEnrolled.v1', data: { activityId: details.activityId, volunteerId: command.volunteerId, walkIn: false } }];
    }
    case 'WithdrawEnrollment': {
      const details = requireOpen(state);
      const attendance = state.roster.get(command.volunteerId);
      if (!attendance) throw conflict('not-enrolled', '该志愿者未报名此活动。(The volunteer is not enrolled.)');
      if (attendance.checkedInAt !== null) throw conflict('already-checked-in', '该志愿者已签到，不能取消报名。(The volunteer has already checked in.)');
      return [{ type: 'EnrollmentWithdrawn.v1', data: { activityId: details.activityId, volunteerId: command.volunteerId, reason: optionalText(command.reason, 'reason', '原因') } }];
    }
    case 'CheckIn': {
      const details = requireOpen(state);
      const at = attendanceInstant(command.at, context.now);
      if (at < Date.parse(details.startsAt) - EARLY_CHECK_IN_MINUTES * MINUTE_MS) {
        throw invalid('check-in-too-early', '活动开始前 1 小时内才能签到。(Check-in opens one hour before the start.)');
      }
      if (at > Date.parse(details.endsAt)) throw invalid('check-in-after-end', '活动已结束，不能签到。(The activity has ended; check-in is closed.)');
      const attendance = state.roster.get(command.volunteerId);
      if (attendance?.checkedOutAt) throw conflict('already-checked-out', '该志愿者已签退。(The volunteer has already checked out.)');
      if (attendance?.checkedInAt) throw conflict('already-checked-in', '该志愿者已签到。(The volunteer has already checked in.)');
      const events: ActivityEvent[] = [];
      if (!attendance) {
        requireVolunteer(context);
        checkCapacity(details, state);
        events.push({ type: 'VolunteerEnrolled.v1', data: { activityId: details.activityId, volunteerId: command.volunteerId, walkIn: true } });
      }
      events.push({ type: 'VolunteerCheckedIn.v1', data: { activityId: details.activityId, volunteerId: command.volunteerId, at: toIso(new Date(at)) } });
      return events;
    }
    case 'CheckOut': {
      const details = requireOpen(state);
      const attendance = state.roster.get(command.volunteerId);
      if (!attendance?.checkedInAt) throw conflict('not-checked-in', '该志愿者尚未签到。(The volunteer has not checked in.)');
      if (attendance.checkedOutAt) throw conflict('already-checked-out', '该志愿者已签退。(The volunteer has already checked out.)');
      const at = attendanceInstant(command.at, context.now);
      if (at < Date.parse(attendance.checkedInAt)) throw invalid('check-out-before-check-in', '签退时间不能早于签到时间。(Check-out is before check-in.)');
      return [{ type: 'VolunteerCheckedOut.v1', data: { activityId: details.activityId, volunteerId: command.volunteerId, at: toIso(new Date(at)) } }];
    }
    case 'CompleteActivity': {
      const details = requireOpen(state);
      if (context.now.getTime() < Date.parse(details.startsAt)) {
        throw conflict('activity-not-started', '活动尚未开始，不能结束。(The activity has not started yet.)');
      }
      const beneficiaries = command.beneficiaries ?? null;
      if (beneficiaries !== null && (!Number.isInteger(beneficiaries) || beneficiaries < 0 || beneficiaries > 1_000_000)) {
        throw invalid('beneficiaries-invalid', '服务对象人数应为非负整数。(beneficiaries must be a non-negative integer.)');
      }
      const { credited, notCredited } = creditAttendance(details, state.roster, context.recordedVolunteers);
      return [{
        type: 'ActivityCompleted.v1',
        data: { activityId: details.activityId, beneficiaries, completedAt: toIso(context.now), credited, notCredited },
      }];
    }
  }
}

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState, ActivityContext> = {
  initialState, evolve, decide,
};
