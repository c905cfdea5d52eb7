import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, ROLES, type AccountRole } from '@haitang/auth';
import { IsId } from '@haitang/ledger';

export class SignInDto {
  @ApiProperty({ example: 'taohuawu-staff' }) @IsString() @MinLength(1) @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'k7mp-x9qa-4tzh-w2ne' }) @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class CreateAccountDto {
  @ApiProperty({ example: 'wang.li', description: '2–64 of a-z 0-9 . _ - @ (stored in lower case; the actor id in the log)' })
  @IsString() @MinLength(2) @MaxLength(64)
  username: string;

  @ApiProperty({ enum: ROLES, description: 'admin: everything (admin only); official: reads its unit’s subtree; staff: reads and writes it; volunteer: its own data' })
  @IsIn(ROLES)
  role: AccountRole;

  @ApiPropertyOptional({ description: 'For official and staff: the unit they work for' }) @IsOptional() @IsString() @IsId()
  orgUnitId?: string;

  @ApiPropertyOptional({ description: 'For volunteer: the volunteer it belongs to' }) @IsOptional() @IsString() @IsId()
  volunteerId?: string;

  @ApiPropertyOptional({ example: '王丽（桃花坞社区）' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(50)
  displayName?: string;

  @ApiPropertyOptional({ description: 'At least 10 characters; when absent a random one is made and answered once' })
  @IsOptional() @IsString() @MaxLength(MAX_PASSWORD_LENGTH)
  password?: string;
}

export class AccountsQuery {
  @ApiPropertyOptional({ description: 'Accounts of this unit’s subtree (required unless admin)' }) @IsOptional() @IsString() @IsId()
  orgUnitId?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @ApiProperty({ description: 'At least 10 characters' }) @IsString() @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword: string;
}
