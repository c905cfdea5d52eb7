import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor, Role } from '@haitang/domain';
import type { RecordedEvent } from '@haitang/event-store';

export const ACTOR_ROLES: readonly Role[] = ['admin', 'official', 'staff', 'volunteer', 'system'];

/** Who caused an event, as its metadata says. */
export class ActorView implements Actor {
  @ApiProperty({ type: String, description: 'The account id (`acct-…`), or a system actor such as `demo`' })
  id: string;

  @ApiProperty({ enum: ACTOR_ROLES, enumName: 'ActorRole' })
  role: Role;

  @ApiProperty({ type: String, nullable: true })
  orgUnitId: string | null;

  @ApiPropertyOptional({ type: String, description: 'For a volunteer acting for themselves: who' })
  volunteerId?: string;
}

/** An event as the log shows it: nothing is edited or deleted. */
export class LoggedEvent implements RecordedEvent {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Its place in the global log (1-based, gap-free)' })
  position: number;

  @ApiProperty({ type: String, example: 'record-5c0e…' })
  streamId: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Its index in its stream (0-based)' })
  streamVersion: number;

  @ApiProperty({ type: String })
  eventId: string;

  @ApiProperty({ type: String, example: 'ServiceRecorded.v1' })
  type: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event’s payload (personal data only sealed)' })
  data: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'eventId, commandId, correlationId, causationId, actor, occurredAt, recordedAt' })
  metadata: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time' })
  recordedAt: string;
}

/** The answer of GET /events: one page of the ordered log. */
export class EventLogPage {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The events follow this position' })
  after: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The position of the last event in the log' })
  head: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass as `after` for the next page; null at the head' })
  next: number | null;

  @ApiProperty({ type: () => LoggedEvent, isArray: true })
  events: LoggedEvent[];
}

/** The answer of GET /streams/:streamId: one stream’s events. */
export class EventStreamAnswer {
  @ApiProperty({ type: String })
  streamId: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The version of its last event' })
  version: number;

  @ApiProperty({ type: () => LoggedEvent, isArray: true })
  events: LoggedEvent[];
}
