import { ApiProperty } from '@nestjs/swagger';
import {
  ACTIVITY_STATUS_FILTERS, ACTIVITY_STATUSES, type ActivityRecordRef, type ActivityStatusFilter, type ActivitySummary, type ActivityView,
  ATTENDANCE_STATES, type AttendanceState, type RosterEntry,
} from '@haitang/read-store';
import { PROJECTED_POSITION } from '../read-your-writes';

type RosterRecord = NonNullable<RosterEntry['record']>;
type MissedCheckOut = ActivityView['missedCheckOuts'][number];
type Withdrawal = ActivityView['withdrawn'][number];

export class ActivitySummaryView implements ActivitySummary {
  @ApiProperty({ type: String })
  activityId: string;

  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  orgUnitName: string | null;

  @ApiProperty({ type: String })
  title: string;

  @ApiProperty({ type: String, example: 'digital-inclusion' })
  category: string;

  @ApiProperty({ type: String, example: '数字助老' })
  categoryName: string;

  @ApiProperty({ type: String })
  location: string;

  @ApiProperty({ type: String, format: 'date-time' })
  startsAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  endsAt: string;

  @ApiProperty({ enum: ACTIVITY_STATUSES, enumName: 'ActivityStatus' })
  status: ActivitySummary['status'];

  @ApiProperty({ type: String, description: 'The last day its records are on time: the 10th working day after it ended (YYYY-MM-DD, Asia/Shanghai)' })
  recordsDueBy: string;

  @ApiProperty({ type: Boolean, description: 'Planned, past recordsDueBy, and without a live (approved or pending) record' })
  overdue: boolean;

  @ApiProperty({ type: 'integer' })
  enrolled: number;

  @ApiProperty({ type: 'integer', description: 'Approved minutes of the records that name this activity' })
  creditedMinutes: number;

  @ApiProperty({ type: Number })
  creditedHours: number;
}

/** The answer of GET /activities: one page, with the filter it answers. */
export class ActivityListAnswer {
  @ApiProperty({ type: String, nullable: true })
  orgUnitId: string | null;

  @ApiProperty({ type: String, nullable: true })
  from: string | null;

  @ApiProperty({ type: String, nullable: true })
  to: string | null;

  @ApiProperty({ enum: ACTIVITY_STATUS_FILTERS, enumName: 'ActivityStatusFilter', nullable: true })
  status: ActivityStatusFilter | null;

  @ApiProperty({ type: 'integer' })
  limit: number;

  @ApiProperty({ type: 'integer' })
  offset: number;

  @ApiProperty({ type: 'integer', description: 'Every match (activities is one page)' })
  total: number;

  @ApiProperty({ type: () => ActivitySummaryView, isArray: true, description: 'Newest start first' })
  activities: ActivitySummaryView[];

  @ApiProperty({ type: String, description: 'The day overdue is judged on (today, Asia/Shanghai)' })
  asOf: string;

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

/** A volunteer's service record for an activity, however it was made. */
export class RosterRecordView implements RosterRecord {
  @ApiProperty({ type: String })
  recordId: string;

  @ApiProperty({ type: 'integer' })
  minutes: number;

  @ApiProperty({ type: String, example: 'approved' })
  status: string;

  @ApiProperty({ type: String, example: 'attendance' })
  source: string;

  @ApiProperty({ type: String })
  serviceDate: string;
}

export class ActivityRecordView extends RosterRecordView implements ActivityRecordRef {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;
}

export class RosterEntryView implements RosterEntry {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ type: Boolean })
  walkIn: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  enrolledAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  checkedInAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  checkedOutAt: string | null;

  @ApiProperty({ enum: ATTENDANCE_STATES, enumName: 'AttendanceState' })
  attendance: AttendanceState;

  @ApiProperty({ type: String, nullable: true, description: 'What completion decided: credited, missed-check-out, no-time-in-window, no-show, already-recorded; null before' })
  outcome: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Minutes credited at completion (a later amendment shows in record.minutes)' })
  creditedAtCompletion: number | null;

  @ApiProperty({ type: () => RosterRecordView, nullable: true })
  record: RosterRecordView | null;
}

export class AttendanceCountsView implements Record<AttendanceState, number> {
  @ApiProperty({ type: 'integer' })
  enrolled: number;

  @ApiProperty({ type: 'integer' })
  'checked-in': number;

  @ApiProperty({ type: 'integer' })
  'checked-out': number;

  @ApiProperty({ type: 'integer' })
  'no-show': number;

  @ApiProperty({ type: 'integer' })
  'missed-check-out': number;
}

export class MissedCheckOutView implements MissedCheckOut {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  checkedInAt: string;

  @ApiProperty({ type: () => RosterRecordView, nullable: true })
  record: RosterRecordView | null;
}

export class WithdrawalView implements Withdrawal {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  withdrawnAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
}

/** The answer of GET /activities/:id: the activity with its roster, attendance and records. */
export class ActivityAnswer extends ActivitySummaryView implements ActivityView {
  @ApiProperty({ type: 'integer', nullable: true })
  capacity: number | null;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: String, nullable: true })
  personInCharge: string | null;

  @ApiProperty({ type: String, nullable: true })
  cancelReason: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  beneficiaries: number | null;

  @ApiProperty({ type: 'integer', description: 'Minutes of its records waiting for approval' })
  pendingMinutes: number;

  @ApiProperty({ type: () => AttendanceCountsView, description: 'How many roster entries are in each state' })
  attendance: AttendanceCountsView;

  @ApiProperty({ type: () => RosterEntryView, isArray: true, description: 'Enrolled volunteers, in the order they were enrolled' })
  roster: RosterEntryView[];

  @ApiProperty({ type: () => MissedCheckOutView, isArray: true })
  missedCheckOuts: MissedCheckOutView[];

  @ApiProperty({ type: () => WithdrawalView, isArray: true })
  withdrawn: WithdrawalView[];

  @ApiProperty({ type: () => ActivityRecordView, isArray: true })
  records: ActivityRecordView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}
