import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { TEAM_KINDS, type TeamKind } from '@haitang/domain';
import { IsId } from '../http/validators';

const KINDS = Object.keys(TEAM_KINDS);

export class FormTeamDto {
  @ApiProperty() @IsString() @IsId()
  orgUnitId: string;

  @ApiProperty({ example: '红引擎志愿服务队' }) @IsString() @MinLength(1) @MaxLength(100)
  name: string;

  @ApiProperty({ enum: KINDS, example: 'red-engine' }) @IsIn(KINDS)
  kind: TeamKind;
}

export class TeamMemberDto {
  @ApiProperty() @IsString() @IsId()
  volunteerId: string;
}

export class LeaveTeamDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}
