import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_RECORD_MINUTES, SERVICE_CATEGORY_CODES, type ServiceCategory } from '@haitang/domain';
import { IsCalendarDay, IsId } from '../http/validators';

export class SelfReportDto {
  @ApiProperty({ description: 'The unit whose staff will approve it' }) @IsString() @IsId()
  orgUnitId: string;

  @ApiProperty({ enum: SERVICE_CATEGORY_CODES, example: 'errand-escort' }) @IsIn(SERVICE_CATEGORY_CODES)
  category: ServiceCategory;

  @ApiProperty({ example: '2026-11-18', description: 'Asia/Shanghai calendar date' }) @IsString() @IsCalendarDay()
  serviceDate: string;

  @ApiProperty({ minimum: 1, maximum: MAX_RECORD_MINUTES, description: 'Whole minutes of service (travel excluded)' })
  @IsInt() @Min(1) @Max(MAX_RECORD_MINUTES)
  minutes: number;

  @ApiProperty({ example: '送独居老人到苏大附一院复诊并陪同取药' }) @IsString() @MinLength(1) @MaxLength(2000)
  description: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  location?: string;
}

export class RecordServiceDto extends SelfReportDto {
  @ApiProperty() @IsString() @IsId()
  volunteerId: string;

  @ApiPropertyOptional({ description: 'The activity served, if any (one record per volunteer per activity)' })
  @IsOptional() @IsString() @IsId()
  activityId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50)
  personInCharge?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @MinLength(1) @MaxLength(500)
  reason: string;
}

export class AmendServiceDto extends ReasonDto {
  @ApiProperty({ minimum: 1, maximum: MAX_RECORD_MINUTES }) @IsInt() @Min(1) @Max(MAX_RECORD_MINUTES)
  minutes: number;
}
