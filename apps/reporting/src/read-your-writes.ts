import { type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { EventStore } from '@haitang/event-store';
import type { ProjectionProgress } from '@haitang/read-store';
import { problem, ProblemException } from '@haitang/ledger';

export class ConsistencyQuery {
  @ApiPropertyOptional({ description: 'Wait (up to 5 s) until the read models include this log position: pass the `position` a command answered.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  minPosition?: number;
}

/** The `projectedPosition` of every read's answer (an @ApiProperty). */
export const PROJECTED_POSITION: ApiPropertyOptions = {
  type: 'integer', minimum: 0,
  description: 'How far the read models had come when answering (a log position, at least the `minPosition` asked for)',
};

/**
 * Read-your-writes: wait until the projections caught up with the caller's own command.
 * A position the log has not reached yet was never answered by a command: it is
 * refused at once (400) rather than waited for and answered 503.
 */
export async function caughtUp(runner: ProjectionProgress, minPosition: number | undefined, log: Pick<EventStore, 'headPosition'>): Promise<void> {
  if (minPosition === undefined || minPosition <= runner.position) return;
  if (minPosition > await log.headPosition()) {
    const message = 'minPosition 超出了账本的最新位置。(minPosition is beyond the end of the log: no command answered it.)';
    throw new ProblemException(problem(400, 'min-position-ahead', message, [{ field: 'minPosition', message }]));
  }
  if (!(await runner.waitFor(minPosition, 5000))) {
    throw new ProblemException(problem(503, 'read-models-behind', '统计数据正在更新，请稍后再试。(The figures are still catching up; retry in a moment.)'), { 'retry-after': '1' });
  }
}
