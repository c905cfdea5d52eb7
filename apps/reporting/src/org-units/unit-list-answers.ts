import { ApiProperty } from '@nestjs/swagger';
import { RECORD_STATUS_FILTERS, type RecordStatusFilter, type UnitRecord, type UnitVolunteer } from '@haitang/read-store';
import { PROJECTED_POSITION } from '../read-your-writes';

export class UnitVolunteerView implements UnitVolunteer {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String })
  displayName: string;

  @ApiProperty({ type: String })
  homeOrgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  homeOrgUnitName: string | null;

  @ApiProperty({ type: Boolean })
  partyMember: boolean;

  @ApiProperty({ type: Boolean })
  senior: boolean;

  @ApiProperty({ type: String, example: 'courier' })
  occupation: string;

  @ApiProperty({ type: 'integer', description: 'Approved minutes, all time' })
  approvedMinutes: number;

  @ApiProperty({ type: Number })
  approvedHours: number;
}

/** The answer of GET /org-units/:id/volunteers: one page, by name. */
export class UnitVolunteersAnswer {
  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: 'integer' })
  limit: number;

  @ApiProperty({ type: 'integer' })
  offset: number;

  @ApiProperty({ type: 'integer', description: 'Every match (volunteers is one page)' })
  total: number;

  @ApiProperty({ type: () => UnitVolunteerView, isArray: true })
  volunteers: UnitVolunteerView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

export class UnitRecordView implements UnitRecord {
  @ApiProperty({ type: String })
  recordId: string;

  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ type: String, description: 'The unit that organised it' })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  orgUnitName: string | null;

  @ApiProperty({ type: String })
  category: string;

  @ApiProperty({ type: String })
  categoryName: string;

  @ApiProperty({ type: String, description: 'YYYY-MM-DD' })
  serviceDate: string;

  @ApiProperty({ type: 'integer' })
  minutes: number;

  @ApiProperty({ type: String, example: 'pending', description: 'pending, approved, rejected or revoked' })
  status: string;

  @ApiProperty({ type: String, example: 'self-report', description: 'attendance, staff, self-report or import' })
  source: string;

  @ApiProperty({ type: String, nullable: true })
  activityId: string | null;

  @ApiProperty({ type: String, nullable: true })
  activityTitle: string | null;

  @ApiProperty({ type: String, nullable: true })
  location: string | null;

  @ApiProperty({ type: String })
  description: string;

  @ApiProperty({ type: 'integer', description: 'How many corrections (amendments) were made to it' })
  amendments: number;
}

/** The answer of GET /org-units/:id/service-records: one page, newest service first. */
export class UnitRecordsAnswer {
  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ enum: RECORD_STATUS_FILTERS, enumName: 'RecordStatus', nullable: true })
  status: RecordStatusFilter | null;

  @ApiProperty({ type: 'integer' })
  limit: number;

  @ApiProperty({ type: 'integer' })
  offset: number;

  @ApiProperty({ type: 'integer', description: 'Every match (records is one page)' })
  total: number;

  @ApiProperty({ type: () => UnitRecordView, isArray: true })
  records: UnitRecordView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}
