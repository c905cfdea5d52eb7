import { ApiProperty } from '@nestjs/swagger';
import type { PersonalData } from '@haitang/auth';
import { ActorView } from '@haitang/ledger';
import type { RecordView, VolunteerHours, VolunteerProfileRow } from '@haitang/read-store';
import { PROJECTED_POSITION } from '../read-your-writes';

type RecordHistoryEntry = RecordView['history'][number];

const MINUTES_BY_KEY = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class NextStarView implements NonNullable<VolunteerHours['nextStar']> {
  @ApiProperty({ type: 'integer', description: 'The next star level' })
  level: number;

  @ApiProperty({ type: 'integer', description: 'Approved minutes still needed to reach it' })
  minutesToGo: number;
}

/** The answer of GET /volunteers/:id/hours. */
export class VolunteerHoursAnswer implements VolunteerHours {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String })
  displayName: string;

  @ApiProperty({ type: String, description: 'The unit the volunteer belongs to (where a self-report goes by default)' })
  homeOrgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  homeOrgUnitName: string | null;

  @ApiProperty({ type: 'integer' })
  approvedMinutes: number;

  @ApiProperty({ type: 'integer', description: 'Self-reports waiting for approval (not in approvedMinutes)' })
  pendingMinutes: number;

  @ApiProperty({ type: Number, description: 'approvedMinutes in hours, one decimal' })
  approvedHours: number;

  @ApiProperty({ ...MINUTES_BY_KEY, description: 'Approved minutes by service category', example: { 'digital-inclusion': 120 } })
  byCategory: Record<string, number>;

  @ApiProperty({ ...MINUTES_BY_KEY, description: 'Approved minutes by year of service', example: { 2026: 120 } })
  byYear: Record<string, number>;

  @ApiProperty({ type: 'integer', minimum: 0 })
  starLevel: number;

  @ApiProperty({ type: () => NextStarView, nullable: true, description: 'null at the highest level' })
  nextStar: NextStarView | null;

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

/** One event of a record's history. */
export class RecordHistoryEntryView implements RecordHistoryEntry {
  @ApiProperty({ type: 'integer' })
  position: number;

  @ApiProperty({ type: String, example: 'ServiceAmended.v1' })
  type: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event’s payload' })
  data: unknown;

  @ApiProperty({ type: () => ActorView, nullable: true })
  actor: ActorView | null;

  @ApiProperty({ type: String, format: 'date-time' })
  recordedAt: string;
}

export class VolunteerRecordView implements RecordView {
  @ApiProperty({ type: String })
  recordId: string;

  @ApiProperty({ type: String, nullable: true })
  activityId: string | null;

  @ApiProperty({ type: String, nullable: true })
  activityTitle: string | null;

  @ApiProperty({ type: String })
  category: string;

  @ApiProperty({ type: String, description: 'YYYY-MM-DD' })
  serviceDate: string;

  @ApiProperty({ type: 'integer' })
  minutes: number;

  @ApiProperty({ type: String, example: 'approved', description: 'pending, approved, rejected or revoked' })
  status: string;

  @ApiProperty({ type: String, example: 'attendance', description: 'attendance, staff, self-report or import' })
  source: string;

  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  location: string | null;

  @ApiProperty({ type: String })
  description: string;

  @ApiProperty({ type: () => RecordHistoryEntryView, isArray: true, description: 'Every event of the record, oldest first' })
  history: RecordHistoryEntryView[];
}

/** The answer of GET /volunteers/:id/records. */
export class VolunteerRecordsAnswer {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: () => VolunteerRecordView, isArray: true, description: 'Newest service first' })
  records: VolunteerRecordView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

export class PersonalDataView implements Required<PersonalData> {
  @ApiProperty({ type: String, nullable: true, example: '张*' })
  realName: string | null;

  @ApiProperty({ type: String, nullable: true, example: '138****5678' })
  phone: string | null;

  @ApiProperty({ type: String, nullable: true })
  idNumber: string | null;
}

/** How the answer shows personal data: none to show (never given, or erased), in full, masked, or not opened (`personalData=omit`). */
export const PERSONAL_DATA_SHOWN = ['none', 'full', 'masked', 'omitted'] as const;

/** The answer of GET /volunteers/:id. */
export class VolunteerProfileAnswer implements VolunteerProfileRow {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String })
  displayName: string;

  @ApiProperty({ type: String })
  homeOrgUnitId: string;

  @ApiProperty({ type: Boolean })
  partyMember: boolean;

  @ApiProperty({ type: Boolean })
  senior: boolean;

  @ApiProperty({ type: String, example: 'courier' })
  occupation: string;

  @ApiProperty({ type: Boolean })
  personalDataErased: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  registeredAt: string;

  @ApiProperty({ type: () => PersonalDataView, nullable: true, description: 'In full for staff of their unit and the volunteer, masked for others; null when none, erased, or not asked for (personalData=omit)' })
  personalData: PersonalDataView | null;

  @ApiProperty({ enum: PERSONAL_DATA_SHOWN, enumName: 'PersonalDataShown' })
  personalDataShown: (typeof PERSONAL_DATA_SHOWN)[number];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}
