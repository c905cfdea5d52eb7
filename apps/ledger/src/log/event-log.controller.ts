import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Access, param, stream } from '@haitang/auth';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@haitang/event-store';
import { problem, ProblemException } from '../http/problem';
import { ApiProblemAnswers } from '../http/problem-answers';
import { EventLogPage, EventStreamAnswer, type LoggedEvent } from './event-log-answers';

export class EventLogQuery {
  @ApiPropertyOptional({ description: 'Return events after this log position', default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

const STREAM_PATTERN = /^(orgunit|team|volunteer|activity|record)-[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

const view = (e: RecordedEvent): LoggedEvent => ({
  position: e.position, streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId,
  type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt,
});

/** The ordered log, for audit: nothing is edited or deleted, so this is the whole history. */
@ApiTags('audit log')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller()
export class EventLogController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('events')
  @Access({ action: 'read', roles: [], scope: 'caller' })
  @ApiOperation({ summary: 'The ordered event log after a position' })
  @ApiOkResponse({ type: EventLogPage })
  async events(@Query() query: EventLogQuery): Promise<EventLogPage> {
    const after = query.after ?? 0;
    const limit = query.limit ?? 100;
    const [events, head] = await Promise.all([this.store.readAll(after, limit), this.store.headPosition()]);
    const last = events.length > 0 ? events[events.length - 1].position : after;
    return { after, head, next: last < head ? last : null, events: events.map(view) };
  }

  @Get('streams/:streamId')
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: [stream(param('streamId'))] })
  @ApiOperation({ summary: 'One stream’s events, e.g. activity-<id> or record-<id>' })
  @ApiOkResponse({ type: EventStreamAnswer })
  async stream(@Param('streamId') streamId: string): Promise<EventStreamAnswer> {
    const events = STREAM_PATTERN.test(streamId) ? await this.store.readStream(streamId) : [];
    if (events.length === 0) throw new ProblemException(problem(404, 'stream-not-found', '找不到该记录流。(No such stream.)'));
    return { streamId, version: events[events.length - 1].streamVersion, events: events.map(view) };
  }
}
