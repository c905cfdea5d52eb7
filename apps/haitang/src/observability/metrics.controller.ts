import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, register } from 'prom-client';
import { Public } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';

collectDefaultMetrics({ prefix: 'haitang_' });

/** Group commit at work: how many transactions the event store committed and how many appends they carried. */
let groupStatsOf: () => { groups: number; appends: number } | undefined = () => undefined;
const groupCounter = (name: string, help: string, pick: (s: { groups: number; appends: number }) => number) => new Counter({
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
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    groupStatsOf = () => (store as { groupStats?: { groups: number; appends: number } }).groupStats;
  }

  @Get()
  @Header('content-type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
