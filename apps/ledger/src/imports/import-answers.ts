import { ApiProperty } from '@nestjs/swagger';
import { SERVICE_CATEGORY_CODES, type ServiceCategory } from '@haitang/domain';
import { PositionAnswer } from '../command-pipeline/command-answer';
import { FieldErrorView } from '../http/problem-answers';
import type { CheckedRow } from './import-check';

/** What an import commit answers besides its position. */
export type ImportResult = { fileName: string; imported: number; totalMinutes: number };

/** One row of a preview: what the sheet says (null where a cell was empty or wrong), the volunteer’s name in the ledger, and the row’s mistakes. */
export class ImportPreviewRowView implements Omit<CheckedRow, 'recordId'> {
  @ApiProperty({ type: 'integer', description: 'The row number in the spreadsheet, as the user sees it' })
  row: number;

  @ApiProperty({ type: String, nullable: true })
  volunteerId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The name the sheet gives' })
  volunteerName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The volunteer’s name in the ledger (to compare with the sheet)' })
  displayName: string | null;

  @ApiProperty({ type: String, nullable: true })
  orgUnitId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' })
  serviceDate: string | null;

  @ApiProperty({ enum: SERVICE_CATEGORY_CODES, enumName: 'ServiceCategory', nullable: true })
  category: ServiceCategory | null;

  @ApiProperty({ type: 'integer', nullable: true })
  minutes: number | null;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: String, nullable: true })
  location: string | null;

  @ApiProperty({ type: String, nullable: true })
  personInCharge: string | null;

  @ApiProperty({ type: () => FieldErrorView, isArray: true, description: 'Empty when the row would be recorded' })
  errors: FieldErrorView[];
}

/** The answer of POST /service-records/imports/preview (nothing is recorded). */
export class ImportPreviewAnswer {
  @ApiProperty({ type: String })
  fileName: string;

  @ApiProperty({ type: String })
  orgUnitId: string;

  @ApiProperty({ type: 'integer', description: 'Rows read' })
  total: number;

  @ApiProperty({ type: 'integer', description: 'Rows that would be recorded' })
  valid: number;

  @ApiProperty({ type: 'integer', description: 'Rows with mistakes' })
  invalid: number;

  @ApiProperty({ type: 'integer', description: 'Minutes of the valid rows' })
  totalMinutes: number;

  @ApiProperty({ type: () => ImportPreviewRowView, isArray: true })
  rows: ImportPreviewRowView[];
}

/** The answer of POST /service-records/imports (201): every row recorded, in one append. */
export class ImportAnswer extends PositionAnswer implements ImportResult {
  @ApiProperty({ type: String })
  fileName: string;

  @ApiProperty({ type: 'integer', description: 'Records appended' })
  imported: number;

  @ApiProperty({ type: 'integer' })
  totalMinutes: number;
}
