import { ApiProperty } from '@nestjs/swagger';
import { TEAM_KINDS, type TeamKind } from '@haitang/domain';
import type { TeamHistoryEntry, TeamMember, TeamSummary, TeamView } from '@haitang/read-store';
import { PROJECTED_POSITION } from '../read-your-writes';

export class TeamSummaryView implements TeamSummary {
  @ApiProperty({ type: String })
  teamId: string;

  @ApiProperty({ type: String, example: '红引擎车队' })
  name: string;

  @ApiProperty({ enum: Object.keys(TEAM_KINDS), description: Object.entries(TEAM_KINDS).map(([k, v]) => `${k}: ${v}`).join(', ') })
  kind: TeamKind;

  @ApiProperty({ type: String, description: 'The unit the team was formed in' })
  orgUnitId: string;

  @ApiProperty({ type: String, nullable: true })
  orgUnitName: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Members now' })
  memberCount: number;

  @ApiProperty({ type: String, format: 'date-time' })
  formedAt: string;
}

/** The answer of GET /org-units/:id/teams. */
export class UnitTeamsAnswer {
  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: () => TeamSummaryView, isArray: true, description: 'Teams of the unit and of every unit under it, by unit and name' })
  teams: TeamSummaryView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}

export class TeamMemberView implements TeamMember {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null while the read models do not know the volunteer' })
  displayName: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'When they (last) joined' })
  joinedAt: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Their approved minutes, all time (in this team or not)' })
  approvedMinutes: number;
}

export class TeamHistoryEntryView implements TeamHistoryEntry {
  @ApiProperty({ type: 'integer', minimum: 1 })
  position: number;

  @ApiProperty({ type: String, format: 'date-time' })
  recordedAt: string;

  @ApiProperty({ enum: ['formed', 'joined', 'left'] })
  what: 'formed' | 'joined' | 'left';

  @ApiProperty({ type: String, nullable: true })
  volunteerId: string | null;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why a member left, if given' })
  reason: string | null;
}

/** The answer of GET /teams/:id. */
export class TeamAnswer extends TeamSummaryView implements TeamView {
  @ApiProperty({ type: () => TeamMemberView, isArray: true, description: 'Members now, by name' })
  members: TeamMemberView[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The members’ approved minutes together, all time' })
  membersApprovedMinutes: number;

  @ApiProperty({ type: () => TeamHistoryEntryView, isArray: true, description: 'Every event of the team, newest first' })
  history: TeamHistoryEntryView[];

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}
