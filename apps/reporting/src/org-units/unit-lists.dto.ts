import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RECORD_STATUS_FILTERS, type RecordStatusFilter } from '@haitang/read-store';
import { ConsistencyQuery } from '../read-your-writes';

class PageQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  offset?: number;
}

export class UnitVolunteersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the name (or id)', example: '阿姨' })
  @IsOptional() @IsString() @MaxLength(50)
  q?: string;
}

export class UnitRecordsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RECORD_STATUS_FILTERS, description: 'pending: the self-reports waiting for approval' })
  @IsOptional() @IsIn(RECORD_STATUS_FILTERS, { message: `status must be one of ${RECORD_STATUS_FILTERS.join(', ')}` })
  status?: RecordStatusFilter;
}
