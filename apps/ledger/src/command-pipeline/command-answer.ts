import type { Type } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** What most commands' handlers answer: the id of what the command was about (the new id for a create). */
export type SubjectResult = { id: string };

const POSITION_DESCRIPTION = 'The log position of the command’s last event: pass it as `minPosition` to a read to see the change (read your writes)';

/** The log position every command answers (DESIGN §5). */
export class PositionAnswer {
  @ApiProperty({ type: 'integer', minimum: 1, description: POSITION_DESCRIPTION })
  position: number;
}

/** `{ id, position }`: the answer of a create (201, with a Location) and of most other commands. */
export class CommandAnswer extends PositionAnswer implements SubjectResult {
  @ApiProperty({ type: String, description: 'The id of what the command was about (the new id for a create)' })
  id: string;
}

const REPLAYED = {
  'Idempotent-Replayed': { description: '`true` when this repeats the first answer to the same Idempotency-Key (nothing new was recorded)', schema: { type: 'string', enum: ['true'] } },
};
const LOCATION = { Location: { description: 'Where the new record is read', schema: { type: 'string' } } };

/**
 * Declares the success answer of a command route: `type` (CommandAnswer unless
 * the command answers more) with the given status; `location` for a create.
 */
export const ApiCommandAnswer = (status: 200 | 201, type: Type<PositionAnswer> = CommandAnswer, options: { location?: boolean } = {}) => ApiResponse({
  status,
  type,
  description: status === 201 && options.location ? 'Recorded; the new record’s id and the log position' : 'Recorded; the log position of its last event',
  headers: { ...REPLAYED, ...(options.location ? LOCATION : {}) },
});
