import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import type { ProjectionProgress } from '@haitang/read-store';
import { problem, ProblemException } from '@haitang/ledger';

export class ConsistencyQuery {
  @ApiPropertyOptional({ description: 'Wait (up to 5 s) until the read models include this log position: pass the `position` a command answered.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  minPosition?: number;
}

/** Read-your-writes: wait until the projections caught up with the caller's own command. */
export async function caughtUp(runner: ProjectionProgress, minPosition: number | undefined): Promise<void> {
  if (minPosition === undefined) return;
  if (!(await runner.waitFor(minPosition, 5000))) {
    throw new ProblemException(problem(503, 'read-models-behind', '统计数据正在更新，请稍后再试。(The figures are still catching up; retry in a moment.)'), { 'retry-after': '1' });
  }
}
