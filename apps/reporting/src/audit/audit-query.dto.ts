import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsId } from '@haitang/ledger';
import { ConsistencyQuery } from '../read-your-writes';
import { DAY_FORMAT } from '../org-units/org-unit-queries.dto';

export const STREAM_ID = /^(orgunit|team|volunteer|activity|record)-[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** An event type's stable name: ActivityPlanned.v1. */
export const EVENT_TYPE = /^[A-Z][A-Za-z]{1,60}\.v[1-9][0-9]{0,2}$/;

export const AUDIT_ORDERS = ['asc', 'desc'] as const;
export type AuditOrder = (typeof AUDIT_ORDERS)[number];

export class AuditQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ description: 'Events of records owned by this unit or a unit under it (required unless admin, or streamId/recordId given)' })
  @IsOptional() @IsString() @IsId()
  orgUnitId?: string;

  @ApiPropertyOptional({ description: 'One record’s stream, e.g. record-<id>, activity-<id>, volunteer-<id>' })
  @IsOptional() @IsString() @Matches(STREAM_ID, { message: 'streamId must be a stream id such as record-<id>' })
  streamId?: string;

  @ApiPropertyOptional({ description: 'One service record (same as streamId=record-<id>)' })
  @IsOptional() @IsString() @IsId()
  recordId?: string;

  @ApiPropertyOptional({ description: 'Who: an account id (acct-…, as in the log) or a username' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(120)
  actor?: string;

  @ApiPropertyOptional({ description: 'One kind of event, e.g. CertificateIssued.v1 (every certificate issued in the unit)', example: 'ServiceAmended.v1' })
  @IsOptional() @IsString() @Matches(EVENT_TYPE, { message: 'type must be an event type such as ServiceAmended.v1' })
  type?: string;

  @ApiPropertyOptional({ description: 'Recorded on or after this day (Asia/Shanghai)', example: '2026-11-01' })
  @IsOptional() @Matches(DAY_FORMAT, { message: 'from must be a date written YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Recorded on or before this day (Asia/Shanghai)', example: '2026-11-30' })
  @IsOptional() @Matches(DAY_FORMAT, { message: 'to must be a date written YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ description: 'Entries after this log position (the `next` of the previous page)', default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ description: 'Entries before this log position (with order=desc: the `next` of the previous page)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({ enum: AUDIT_ORDERS, default: 'asc', description: 'asc: log order (page on with `after`); desc: newest first (page on with `before`)' })
  @IsOptional() @IsIn(AUDIT_ORDERS)
  order?: AuditOrder;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}
