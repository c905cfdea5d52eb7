import { ApiProperty } from '@nestjs/swagger';
import { type AttendanceCredit, type NotCredited, NOT_CREDITED_REASONS } from '@haitang/domain';
import { CommandAnswer, type SubjectResult } from '../command-pipeline/command-answer';

/** What completing an activity answers besides its id: the service records it made, and who got none. */
export type CompletionResult = SubjectResult & { recordIds: string[]; credited: AttendanceCredit[]; notCredited: NotCredited[] };
/** What the activity handler answers. */
export type ActivityResult = SubjectResult | CompletionResult;

export class AttendanceCreditView implements AttendanceCredit {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: String, description: 'The approved service record made for the attendance' })
  recordId: string;

  @ApiProperty({ type: 'integer', description: 'Minutes inside the activity’s window' })
  minutes: number;
}

export class NotCreditedView implements NotCredited {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ enum: NOT_CREDITED_REASONS, enumName: 'NotCreditedReason' })
  reason: NotCredited['reason'];
}

/** The answer of POST /activities/:id/completion. */
export class CompletionAnswer extends CommandAnswer implements CompletionResult {
  @ApiProperty({ type: String, isArray: true, description: 'The service records made, one per credited attendee' })
  recordIds: string[];

  @ApiProperty({ type: () => AttendanceCreditView, isArray: true })
  credited: AttendanceCreditView[];

  @ApiProperty({ type: () => NotCreditedView, isArray: true, description: 'Enrolled volunteers who got no record, and why' })
  notCredited: NotCreditedView[];
}
