import { ApiProperty } from '@nestjs/swagger';
import { ORG_UNIT_KINDS } from '@haitang/domain';
import {
  type OrgUnitDashboard, type OrgUnitRef, type OrgUnitReport, type OrgUnitSummary, type OrgUnitView, type OverdueActivity, REPORT_GROUPINGS,
  type ReportFigures, type ReportGrouping, type ReportRow, type VolunteerGroup,
} from '@haitang/read-store';
import { PROJECTED_POSITION } from '../read-your-writes';

type GroupFigures = OrgUnitDashboard['byGroup'][VolunteerGroup];
type TopVolunteer = OrgUnitDashboard['topVolunteers'][number];
type Additivity = OrgUnitReport['additive'];

const MINUTES_BY_CATEGORY = {
  type: 'object', additionalProperties: { type: 'integer' }, description: 'Approved minutes by service category', example: { 'digital-inclusion': 120 },
} as const;

export class OrgUnitRefView implements OrgUnitRef {
  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: String, example: 'community', description: ORG_UNIT_KINDS.join(', ') })
  kind: string;

  @ApiProperty({ type: String, example: '社区' })
  kindName: string;

  @ApiProperty({ type: String })
  name: string;
}

export class OrgUnitSummaryView extends OrgUnitRefView implements OrgUnitSummary {
  @ApiProperty({ type: String, nullable: true })
  parentId: string | null;

  @ApiProperty({ type: 'integer', description: 'How many units sit directly under it' })
  childCount: number;
}

/** The answer of GET /org-units: the units the caller may see, parents before children. */
export class OrgUnitListAnswer {
  @ApiProperty({ type: () => OrgUnitSummaryView, isArray: true })
  orgUnits: OrgUnitSummaryView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

/** The answer of GET /org-units/:id: a unit with its path from the district and its children. */
export class OrgUnitAnswer extends OrgUnitSummaryView implements OrgUnitView {
  @ApiProperty({ type: () => OrgUnitRefView, isArray: true, description: 'Its ancestors, from the district down to its parent' })
  path: OrgUnitRefView[];

  @ApiProperty({ type: () => OrgUnitSummaryView, isArray: true, description: 'The units directly under it, in the order they were registered' })
  children: OrgUnitSummaryView[];

  @ApiProperty({ type: 'integer', description: 'How many units sit under it at any depth' })
  descendantCount: number;

  @ApiProperty({ type: String, format: 'date-time' })
  registeredAt: string;

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

// ---------------------------------------------------------------- dashboard

export class GroupFiguresView implements GroupFigures {
  @ApiProperty({ type: 'integer', description: 'Volunteers of the group with approved minutes in the period' })
  volunteers: number;

  @ApiProperty({ type: 'integer' })
  minutes: number;
}

/** Overlapping groups (a senior party member is in both), by the volunteers' current profile. */
export class DashboardGroupsView implements Record<VolunteerGroup, GroupFigures> {
  @ApiProperty({ type: () => GroupFiguresView })
  partyMember: GroupFiguresView;

  @ApiProperty({ type: () => GroupFiguresView })
  senior: GroupFiguresView;

  @ApiProperty({ type: () => GroupFiguresView })
  courier: GroupFiguresView;

  @ApiProperty({ type: () => GroupFiguresView })
  foodDelivery: GroupFiguresView;

  @ApiProperty({ type: () => GroupFiguresView })
  rideHailing: GroupFiguresView;
}

export class TopVolunteerView implements TopVolunteer {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ type: 'integer' })
  minutes: number;

  @ApiProperty({ type: Number })
  hours: number;
}

export class OverdueActivityView implements OverdueActivity {
  @ApiProperty({ type: String })
  activityId: string;

  @ApiProperty({ type: String })
  title: string;

  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  orgUnitName: string | null;

  @ApiProperty({ type: String })
  category: string;

  @ApiProperty({ type: String, format: 'date-time' })
  startsAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  endsAt: string;

  @ApiProperty({ type: String, description: 'YYYY-MM-DD' })
  recordsDueBy: string;

  @ApiProperty({ type: 'integer' })
  enrolled: number;
}

/** The answer of GET /org-units/:id/dashboard: a month of the unit and everything under it. */
export class DashboardAnswer implements OrgUnitDashboard {
  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  orgUnitName: string | null;

  @ApiProperty({ type: String, description: 'YYYY-MM, Asia/Shanghai', example: '2026-10' })
  period: string;

  @ApiProperty({ type: String, description: 'First day of the period', example: '2026-10-01' })
  from: string;

  @ApiProperty({ type: String, description: 'Last day of the period', example: '2026-10-31' })
  to: string;

  @ApiProperty({ type: 'integer', description: 'Completed activities of the subtree whose start falls in the period' })
  activities: number;

  @ApiProperty({ type: 'integer', description: 'Approved minutes of the subtree’s records whose service date falls in the period' })
  serviceMinutes: number;

  @ApiProperty({ type: Number })
  serviceHours: number;

  @ApiProperty({ type: 'integer', description: 'Minutes of self-reports in the period still waiting for approval (not in serviceMinutes)' })
  pendingMinutes: number;

  @ApiProperty({ type: 'integer', description: 'Distinct volunteers with approved minutes in the period' })
  activeVolunteers: number;

  @ApiProperty({ type: 'integer', description: 'Volunteers registered in the period whose home unit is in the subtree' })
  newVolunteers: number;

  @ApiProperty(MINUTES_BY_CATEGORY)
  byCategory: Record<string, number>;

  @ApiProperty({ type: () => DashboardGroupsView })
  byGroup: DashboardGroupsView;

  @ApiProperty({ type: () => TopVolunteerView, isArray: true, description: 'The ten volunteers with the most approved minutes in the period' })
  topVolunteers: TopVolunteerView[];

  @ApiProperty({ type: () => OverdueActivityView, isArray: true, description: 'Overdue on asOf, whatever their month, oldest first (at most 50)' })
  overdueActivities: OverdueActivityView[];

  @ApiProperty({ type: 'integer', description: 'Every overdue activity of the subtree' })
  overdueCount: number;

  @ApiProperty({ type: String, description: 'The day overdue is judged on (today, Asia/Shanghai)' })
  asOf: string;

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

// ---------------------------------------------------------------- report

export class ReportFiguresView implements ReportFigures {
  @ApiProperty({ type: 'integer', description: 'Approved minutes of records whose service date is in the range' })
  serviceMinutes: number;

  @ApiProperty({ type: Number })
  serviceHours: number;

  @ApiProperty({ type: 'integer', description: 'Completed activities whose start day is in the range' })
  activities: number;

  @ApiProperty({ type: 'integer', description: 'Distinct volunteers with approved minutes in the range' })
  volunteers: number;
}

export class ReportRowView extends ReportFiguresView implements ReportRow {
  @ApiProperty({ type: String, description: 'A child unit’s id, a category code, a month (YYYY-MM) or a group' })
  key: string;

  @ApiProperty({ type: String, example: '本级' })
  label: string;
}

/** Which columns of the rows add up to the total. */
export class ReportAdditivityView implements Additivity {
  @ApiProperty({ type: Boolean, enum: [true] })
  serviceMinutes: true;

  @ApiProperty({ type: Boolean })
  activities: boolean;

  @ApiProperty({ type: Boolean })
  volunteers: boolean;
}

/** The answer of GET /org-units/:id/report as JSON. */
export class ReportAnswer implements OrgUnitReport {
  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  orgUnitName: string | null;

  @ApiProperty({ type: String, example: '2026-01-01' })
  from: string;

  @ApiProperty({ type: String, example: '2026-12-31' })
  to: string;

  @ApiProperty({ enum: REPORT_GROUPINGS, enumName: 'ReportGrouping' })
  groupBy: ReportGrouping;

  @ApiProperty({ type: () => ReportRowView, isArray: true, description: 'The whole dimension, zeros included' })
  rows: ReportRowView[];

  @ApiProperty({ type: () => ReportFiguresView })
  total: ReportFiguresView;

  @ApiProperty({ type: () => ReportAdditivityView })
  additive: ReportAdditivityView;

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}
