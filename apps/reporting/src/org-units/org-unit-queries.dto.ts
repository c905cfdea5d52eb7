import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { REPORT_GROUPINGS, type ReportGrouping } from '@haitang/read-store';
import { ConsistencyQuery } from '../read-your-writes';
import { REPORT_FORMATS, type ReportFormat } from '../exports/report-format';

export const PERIOD_FORMAT = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

export class DashboardQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ description: 'The month, Asia/Shanghai (default: the current month)', example: '2026-10' })
  @IsOptional() @Matches(PERIOD_FORMAT, { message: 'period must be a month written YYYY-MM, e.g. 2026-10' })
  period?: string;
}

export class ReportQuery extends ConsistencyQuery {
  @ApiProperty({ description: 'First day, inclusive (Asia/Shanghai)', example: '2026-01-01' })
  @Matches(DAY_FORMAT, { message: 'from must be a date written YYYY-MM-DD' })
  from: string;

  @ApiProperty({ description: 'Last day, inclusive (Asia/Shanghai)', example: '2026-12-31' })
  @Matches(DAY_FORMAT, { message: 'to must be a date written YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ enum: REPORT_GROUPINGS, default: 'child', description: 'child unit, service category, month, or volunteer group (disjoint)' })
  @IsOptional() @IsIn(REPORT_GROUPINGS, { message: `groupBy must be one of ${REPORT_GROUPINGS.join(', ')}` })
  groupBy?: ReportGrouping;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'Overrides the Accept header: json, csv (UTF-8 with BOM) or xlsx' })
  @IsOptional() @IsIn(REPORT_FORMATS, { message: `format must be one of ${REPORT_FORMATS.join(', ')}` })
  format?: ReportFormat;
}
