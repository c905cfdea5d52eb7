import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, register } from 'prom-client';
import { Public } from '@haitang/auth';
import { EVENT_STORE, type EventStore, type GroupCommitStats } from '@haitang/event-store';
import { ApiProblemAnswers } from '@haitang/ledger';

collectDefaultMetrics({ prefix: 'haitang_' });

/** Group commit at work: how many transactions the event store committed and how many appends they carried. */
let groupStatsOf: () => GroupCommitStats | undefined = () => undefined;
const groupCounter = (name: string, help: string, pick: (s: GroupCommitStats) => number) => new Counter({
  name, help,
  collect() {
    const stats = groupStatsOf();
    if (!stats) return;
    this.reset();
    this.inc(pick(stats));
  },
});
groupCounter('haitang_event_store_commits_total', 'Transactions the event store committed (group commit: one per group of appends).', (s) => s.groups);
groupCounter('haitang_event_store_appends_total', 'Appends the event store committed; divided by the commits, the mean group size.', (s) => s.appends);

@ApiTags('operations')
@Public()
@ApiProblemAnswers()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    groupStatsOf = () => store.groupStats;
  }

  @Get()
  @Header('content-type', register.contentType)
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  metrics(): Promise<string> {
    return register.metrics();
  }
}
