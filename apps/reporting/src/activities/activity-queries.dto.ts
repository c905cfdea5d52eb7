import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@haitang/ledger';
import { ACTIVITY_STATUS_FILTERS, type ActivityStatusFilter } from '@haitang/read-store';
import { ConsistencyQuery } from '../read-your-writes';
import { DAY_FORMAT } from '../org-units/org-unit-queries.dto';

export class ActivitiesQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ description: 'Only activities of this unit and every unit under it' })
  @IsOptional() @Matches(ID_PATTERN, { message: 'orgUnitId must be an id (letters, digits, - and _)' })
  orgUnitId?: string;

  @ApiPropertyOptional({ description: 'Starting on or after this day (Asia/Shanghai)', example: '2026-10-01' })
  @IsOptional() @Matches(DAY_FORMAT, { message: 'from must be a date written YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Starting on or before this day (Asia/Shanghai)', example: '2026-10-31' })
  @IsOptional() @Matches(DAY_FORMAT, { message: 'to must be a date written YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: ACTIVITY_STATUS_FILTERS, description: 'overdue: planned, ended more than 10 working days ago, no records' })
  @IsOptional() @IsIn(ACTIVITY_STATUS_FILTERS, { message: `status must be one of ${ACTIVITY_STATUS_FILTERS.join(', ')}` })
  status?: ActivityStatusFilter;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  offset?: number;
}
