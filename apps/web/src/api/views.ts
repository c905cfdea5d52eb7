/**
 * What the API answers, as the console uses it. The OpenAPI document does not
 * describe answers yet (only requests), so these mirror the read models
 * (libs/read-store/src/queries); the browser suite would catch a drift.
 */

export type Role = 'admin' | 'official' | 'staff' | 'volunteer';

export interface Account {
  username: string;
  role: Role;
  orgUnitId: string | null;
  volunteerId: string | null;
  displayName: string;
}

export interface Session {
  token: string;
  expiresAt: string;
  account: Account;
}

export interface Position {
  position: number;
}

export interface Created extends Position {
  id: string;
}

export interface OrgUnitRef {
  orgUnitId: string;
  kind: string;
  kindName: string;
  name: string;
}

export interface OrgUnitSummary extends OrgUnitRef {
  parentId: string | null;
  childCount: number;
}

export interface OrgUnitView extends OrgUnitSummary {
  path: OrgUnitRef[];
  children: OrgUnitSummary[];
  descendantCount: number;
}

export type ActivityStatus = 'planned' | 'completed' | 'cancelled';

export interface ActivitySummary {
  activityId: string;
  orgUnitId: string;
  orgUnitName: string | null;
  title: string;
  category: string;
  categoryName: string;
  location: string;
  startsAt: string;
  endsAt: string;
  status: ActivityStatus;
  recordsDueBy: string;
  overdue: boolean;
  enrolled: number;
  creditedMinutes: number;
}

export interface ActivityList {
  total: number;
  activities: ActivitySummary[];
}

export type AttendanceState = 'enrolled' | 'checked-in' | 'checked-out' | 'no-show' | 'missed-check-out';

export interface RecordRef {
  recordId: string;
  minutes: number;
  status: string;
  source: string;
  serviceDate: string;
}

export interface RosterEntry {
  volunteerId: string;
  displayName: string | null;
  walkIn: boolean;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  attendance: AttendanceState;
  outcome: string | null;
  creditedAtCompletion: number | null;
  record: RecordRef | null;
}

export interface ActivityView extends ActivitySummary {
  capacity: number | null;
  description: string | null;
  personInCharge: string | null;
  cancelReason: string | null;
  completedAt: string | null;
  beneficiaries: number | null;
  pendingMinutes: number;
  roster: RosterEntry[];
  records: (RecordRef & { volunteerId: string; displayName: string | null })[];
}

export interface Completion extends Position {
  recordIds: string[];
  credited: { volunteerId: string; minutes: number; recordId: string }[];
  notCredited: { volunteerId: string; reason: string }[];
}

export interface CheckInCode {
  activityId: string;
  code: string;
  path: string;
  notBefore: string;
  expiresAt: string;
}

export interface UnitVolunteer {
  volunteerId: string;
  displayName: string;
  homeOrgUnitName: string | null;
  partyMember: boolean;
  senior: boolean;
  occupation: string;
  approvedMinutes: number;
}

export interface UnitRecord {
  recordId: string;
  volunteerId: string;
  displayName: string | null;
  orgUnitName: string | null;
  category: string;
  serviceDate: string;
  minutes: number;
  status: string;
  source: string;
  activityTitle: string | null;
  description: string;
  amendments: number;
}

export interface VolunteerHours {
  volunteerId: string;
  displayName: string;
  homeOrgUnitId: string;
  homeOrgUnitName: string | null;
  approvedMinutes: number;
  pendingMinutes: number;
  byCategory: Record<string, number>;
  byYear: Record<string, number>;
  starLevel: number;
  nextStar: { level: number; minutesToGo: number } | null;
}

export interface RecordHistoryEntry {
  position: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
}

export interface VolunteerRecord {
  recordId: string;
  activityTitle: string | null;
  category: string;
  serviceDate: string;
  minutes: number;
  status: string;
  source: string;
  description: string;
  location: string | null;
  history: RecordHistoryEntry[];
}

export interface ReportFigures {
  serviceMinutes: number;
  activities: number;
  volunteers: number;
}

export interface ReportRow extends ReportFigures {
  key: string;
  label: string;
}

export interface OrgUnitReport {
  orgUnitId: string;
  orgUnitName: string | null;
  from: string;
  to: string;
  groupBy: 'child' | 'category' | 'month' | 'group';
  rows: ReportRow[];
  total: ReportFigures;
}

export interface OrgUnitDashboard {
  orgUnitId: string;
  period: string;
  activities: number;
  serviceMinutes: number;
  pendingMinutes: number;
  activeVolunteers: number;
  newVolunteers: number;
  topVolunteers: { volunteerId: string; displayName: string | null; minutes: number }[];
  overdueActivities: { activityId: string; title: string; orgUnitName: string | null; endsAt: string; recordsDueBy: string }[];
  overdueCount: number;
}

export interface ImportPreviewRow {
  row: number;
  volunteerId: string | null;
  volunteerName: string | null;
  displayName: string | null;
  orgUnitId: string | null;
  serviceDate: string | null;
  category: string | null;
  minutes: number | null;
  description: string | null;
  errors: { field: string; message: string }[];
}

export interface ImportPreview {
  fileName: string;
  total: number;
  valid: number;
  invalid: number;
  totalMinutes: number;
  rows: ImportPreviewRow[];
}

export interface ImportDone extends Position {
  fileName: string;
  imported: number;
  totalMinutes: number;
}
