import { isServiceCategory, type ServiceCategory } from '../shared/categories';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { Decider, DecisionContext, DomainEvent } from '../shared/event';
import { optionalText, requiredText } from '../shared/text';
import { isCalendarDate, shanghaiDate } from '../shared/time';
import type { ActivityState } from '../activities/activity';
import { attendanceRecordId } from '../activities/credit-attendance';
import type { OrgUnitState } from '../org-units/org-unit';
import type { VolunteerState } from '../volunteers/volunteer';

/** No single record may exceed one day of service. */
export const MAX_RECORD_MINUTES = 24 * 60;

/** Where the hours came from: "whoever organised it records it". */
export const RECORD_SOURCES = ['attendance', 'staff', 'self-report', 'import'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];
export type RecordStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface ServiceRecordDetails {
  recordId: string;
  volunteerId: string;
  orgUnitId: string;
  category: ServiceCategory;
  /** The Asia/Shanghai calendar date of the service (YYYY-MM-DD). */
  serviceDate: string;
  minutes: number;
  description: string;
  activityId: string | null;
  activityTitle: string | null;
  location: string | null;
  personInCharge: string | null;
  source: RecordSource;
}

export type ServiceRecorded = DomainEvent<'ServiceRecorded.v1', ServiceRecordDetails & { status: 'approved' | 'pending' }>;
export type ServiceApproved = DomainEvent<'ServiceApproved.v1', { recordId: string; volunteerId: string; minutes: number }>;
export type ServiceRejected = DomainEvent<'ServiceRejected.v1', { recordId: string; volunteerId: string; reason: string }>;
export type ServiceAmended = DomainEvent<'ServiceAmended.v1', { recordId: string; volunteerId: string; previousMinutes: number; minutes: number; reason: string }>;
export type ServiceRevoked = DomainEvent<'ServiceRevoked.v1', { recordId: string; volunteerId: string; previousStatus: RecordStatus; minutes: number; reason: string }>;
export type ServiceRecordEvent = ServiceRecorded | ServiceApproved | ServiceRejected | ServiceAmended | ServiceRevoked;

export type RecordService = {
  type: 'RecordService';
  recordId: string; volunteerId: string; orgUnitId: string; category: ServiceCategory; serviceDate: string;
  minutes: number; description: string; activityId?: string | null; location?: string | null; personInCharge?: string | null;
  /** attendance and staff entries are approved at once; a self-report waits for approval. */
  source: RecordSource;
};
export type ApproveService = { type: 'ApproveService'; recordId: string };
export type RejectService = { type: 'RejectService'; recordId: string; reason: string };
export type AmendService = { type: 'AmendService'; recordId: string; minutes: number; reason: string };
export type RevokeService = { type: 'RevokeService'; recordId: string; reason: string };
export type ServiceRecordCommand = RecordService | ApproveService | RejectService | AmendService | RevokeService;

export interface ServiceRecordState {
  readonly exists: boolean;
  readonly status: RecordStatus | null;
  readonly details: ServiceRecordDetails | null;
}

export interface ServiceRecordContext extends DecisionContext {
  readonly volunteer?: VolunteerState;
  readonly orgUnit?: OrgUnitState;
  /** The activity named by the command, if any. */
  readonly activity?: ActivityState;
}

export const recordStream = (recordId: string) => `record-${recordId}`;

const initialState: ServiceRecordState = { exists: false, status: null, details: null };

function evolve(state: ServiceRecordState, event: ServiceRecordEvent): ServiceRecordState {
  switch (event.type) {
    case 'ServiceRecorded.v1': {
      const { status, ...details } = event.data;
      return { exists: true, status, details };
    }
    case 'ServiceApproved.v1':
      return { ...state, status: 'approved' };
    case 'ServiceRejected.v1':
      return { ...state, status: 'rejected' };
    case 'ServiceAmended.v1':
      return { ...state, details: state.details && { ...state.details, minutes: event.data.minutes } };
    case 'ServiceRevoked.v1':
      return { ...state, status: 'revoked' };
    default:
      return state;
  }
}

export function checkMinutes(minutes: number): number {
  if (!Number.isInteger(minutes)) throw invalid('minutes-not-integer', '服务时长按整分钟记录。(minutes must be a whole number.)');
  if (minutes < 1) throw invalid('minutes-too-small', '服务时长至少 1 分钟。(minutes must be at least 1.)');
  if (minutes > MAX_RECORD_MINUTES) throw invalid('minutes-too-large', '一条记录的服务时长不能超过 24 小时（1440 分钟）。(A record holds at most 1440 minutes.)');
  return minutes;
}

function requireRecord(state: ServiceRecordState): ServiceRecordDetails {
  if (!state.exists || state.details === null) throw notFound('record-not-found', '找不到该服务记录。(Service record not found.)');
  return state.details;
}

const STATUS_NAMES: Record<RecordStatus, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回', revoked: '已撤销' };

function recordService(command: RecordService, state: ServiceRecordState, context: ServiceRecordContext): ServiceRecordEvent[] {
  if (state.exists) {
    throw conflict('record-exists', command.activityId
      ? '该志愿者在此活动中的服务时长已经记录过了。(Service for this volunteer and activity is already recorded.)'
      : '该服务记录已存在。(This service record already exists.)');
  }
  if (!context.volunteer?.exists) throw invalid('volunteer-not-found', '找不到该志愿者。(The volunteer does not exist.)');
  if (!context.orgUnit?.exists) throw invalid('org-unit-not-found', '找不到组织单位。(The org unit does not exist.)');
  if (!isServiceCategory(command.category)) throw invalid('category-unknown', '服务类别不正确。(Unknown category.)');
  if (!isCalendarDate(command.serviceDate)) throw invalid('service-date-invalid', '服务日期不对：应为真实存在的日期，写作 YYYY-MM-DD。(serviceDate must be a real date written YYYY-MM-DD.)');
  if (command.serviceDate > shanghaiDate(context.now)) throw invalid('service-date-in-future', '服务日期不能晚于今天。(serviceDate lies in the future.)');
  if (command.serviceDate < '2000-01-01') throw invalid('service-date-too-old', '服务日期过早。(serviceDate is before 2000.)');
  const minutes = checkMinutes(command.minutes);
  let activityTitle: string | null = null;
  let location = optionalText(command.location, 'location', '服务地点', 200);
  let personInCharge = optionalText(command.personInCharge, 'personInCharge', '负责人', 50);
  if (!RECORD_SOURCES.includes(command.source)) throw invalid('source-unknown', '记录来源不正确。(Unknown record source.)');
  if (command.activityId) {
    if (command.recordId !== attendanceRecordId(command.activityId, command.volunteerId)) {
      throw invalid('record-id-not-attendance', '活动的服务记录编号必须由活动和志愿者确定。(A record for an activity uses attendanceRecordId(activity, volunteer).)');
    }
    const activity = context.activity;
    if (!activity || activity.status === 'none' || !activity.details) throw invalid('activity-not-found', '找不到所关联的活动。(The activity does not exist.)');
    if (activity.status === 'cancelled') throw conflict('activity-cancelled', '活动已取消，不能记录服务时长。(The activity was cancelled; no hours can be recorded.)');
    activityTitle = activity.details.title;
    location ??= activity.details.location;
    personInCharge ??= activity.details.personInCharge;
  }
  const status = command.source === 'self-report' ? 'pending' : 'approved';
  return [{
    type: 'ServiceRecorded.v1',
    data: {
      recordId: command.recordId,
      volunteerId: command.volunteerId,
      orgUnitId: command.orgUnitId,
      category: command.category,
      serviceDate: command.serviceDate,
      minutes,
      description: requiredText(command.description, 'description', '服务内容', 2000),
      activityId: command.activityId ?? null,
      activityTitle,
      location,
      personInCharge,
      source: command.source,
      status,
    },
  }];
}

function decide(command: ServiceRecordCommand, state: ServiceRecordState, context: ServiceRecordContext): ServiceRecordEvent[] {
  if (command.type === 'RecordService') return recordService(command, state, context);
  const details = requireRecord(state);
  const status = state.status as RecordStatus;
  const { recordId, volunteerId } = details;
  switch (command.type) {
    case 'ApproveService':
      if (status !== 'pending') throw conflict('record-not-pending', `该记录${STATUS_NAMES[status]}，无需审核。(Only a pending record can be approved; this one is ${status}.)`);
      return [{ type: 'ServiceApproved.v1', data: { recordId, volunteerId, minutes: details.minutes } }];
    case 'RejectService':
      if (status !== 'pending') throw conflict('record-not-pending', `该记录${STATUS_NAMES[status]}，不能驳回。(Only a pending record can be rejected; this one is ${status}.)`);
      return [{ type: 'ServiceRejected.v1', data: { recordId, volunteerId, reason: requiredText(command.reason, 'reason', '驳回原因') } }];
    case 'AmendService': {
      if (status === 'rejected' || status === 'revoked') throw conflict('record-closed', `该记录${STATUS_NAMES[status]}，不能修改。(A ${status} record cannot be amended.)`);
      const minutes = checkMinutes(command.minutes);
      const reason = requiredText(command.reason, 'reason', '修改原因');
      if (minutes === details.minutes) throw conflict('minutes-unchanged', '新时长与原时长相同。(The minutes are unchanged.)');
      return [{ type: 'ServiceAmended.v1', data: { recordId, volunteerId, previousMinutes: details.minutes, minutes, reason } }];
    }
    case 'RevokeService':
      if (status === 'rejected' || status === 'revoked') throw conflict('record-closed', `该记录${STATUS_NAMES[status]}，不能撤销。(A ${status} record cannot be revoked.)`);
      return [{ type: 'ServiceRevoked.v1', data: { recordId, volunteerId, previousStatus: status, minutes: details.minutes, reason: requiredText(command.reason, 'reason', '撤销原因') } }];
  }
}

export const serviceRecordDecider: Decider<ServiceRecordCommand, ServiceRecordEvent, ServiceRecordState, ServiceRecordContext> = {
  initialState, evolve, decide,
};
