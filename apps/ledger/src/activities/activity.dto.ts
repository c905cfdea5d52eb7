import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SERVICE_CATEGORY_CODES, type ServiceCategory } from '@haitang/domain';
import { IsId, IsInstant } from '../http/validators';

export class PlanActivityDto {
  @ApiProperty({ description: 'The organising unit' }) @IsString() @IsId()
  orgUnitId: string;

  @ApiProperty({ example: '玩转智能手机' }) @IsString() @MinLength(1) @MaxLength(100)
  title: string;

  @ApiProperty({ enum: SERVICE_CATEGORY_CODES, example: 'digital-inclusion' }) @IsIn(SERVICE_CATEGORY_CODES)
  category: ServiceCategory;

  @ApiProperty({ example: '庆元家园社区党群服务中心' }) @IsString() @MinLength(1) @MaxLength(200)
  location: string;

  @ApiProperty({ example: '2026-11-20T09:00:00+08:00' }) @IsString() @IsInstant()
  startsAt: string;

  @ApiProperty({ example: '2026-11-20T11:00:00+08:00' }) @IsString() @IsInstant()
  endsAt: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000 }) @IsOptional() @IsInt() @Min(1) @Max(10000)
  capacity?: number;

  @ApiPropertyOptional({ description: 'What the volunteers do (服务内容)' }) @IsOptional() @IsString() @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ description: 'Person in charge (负责人)' }) @IsOptional() @IsString() @MaxLength(50)
  personInCharge?: string;
}

export class RescheduleActivityDto {
  @ApiProperty() @IsString() @IsInstant()
  startsAt: string;

  @ApiProperty() @IsString() @IsInstant()
  endsAt: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

export class CancelActivityDto {
  @ApiProperty({ example: '台风预警' }) @IsString() @MinLength(1) @MaxLength(500)
  reason: string;
}

export class VolunteerRefDto {
  @ApiProperty() @IsString() @IsId()
  volunteerId: string;
}

export class WithdrawDto extends VolunteerRefDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

export class AttendanceDto extends VolunteerRefDto {
  @ApiPropertyOptional({ description: 'When it happened; defaults to now', example: '2026-11-20T09:02:00+08:00' })
  @IsOptional() @IsString() @IsInstant()
  at?: string;
}

export class CompleteActivityDto {
  @ApiPropertyOptional({ description: 'How many residents were served' }) @IsOptional() @IsInt() @Min(0) @Max(1000000)
  beneficiaries?: number;
}
