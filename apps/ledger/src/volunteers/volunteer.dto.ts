import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { OCCUPATION_CODES, type Occupation } from '@haitang/domain';
import { IsId } from '../http/validators';

export class RegisterVolunteerDto {
  @ApiProperty({ description: 'The community (or other unit) the volunteer belongs to' }) @IsString() @IsId()
  homeOrgUnitId: string;

  @ApiProperty({ example: '赵阿姨', description: 'How the volunteer is shown in lists' }) @IsString() @MinLength(1) @MaxLength(50)
  displayName: string;

  @ApiPropertyOptional({ example: '赵桂英', description: 'Real name: sealed with the volunteer’s own key, never stored in clear' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(50)
  realName?: string;

  @ApiPropertyOptional({ example: '13812345678' })
  @IsOptional() @IsString() @Matches(/^\+?[0-9-]{5,20}$/, { message: 'phone must be 5–20 digits' })
  phone?: string;

  @ApiPropertyOptional({ example: '320508195501011234', description: 'Resident ID number (18 characters)' })
  @IsOptional() @IsString() @Matches(/^[0-9]{17}[0-9Xx]$/, { message: 'idNumber must be an 18-character resident ID number' })
  idNumber?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  partyMember?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  senior?: boolean;

  @ApiPropertyOptional({ enum: OCCUPATION_CODES }) @IsOptional() @IsIn(OCCUPATION_CODES)
  occupation?: Occupation;
}

export class EraseVolunteerDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

/**
 * What staff change of a volunteer's profile: only the fields given change
 * (at least one, and to something new), each validated as at registration.
 * Moving a volunteer to another unit needs the scope of both units. Personal
 * data is not changed here.
 */
export class ChangeVolunteerProfileDto extends PartialType(
  PickType(RegisterVolunteerDto, ['displayName', 'homeOrgUnitId', 'partyMember', 'senior', 'occupation'] as const),
) {}
