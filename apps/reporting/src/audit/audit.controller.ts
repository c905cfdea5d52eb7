import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ACCOUNT_STORE, type AccountStore, normalizeUsername, orgUnit, query, record, stream } from '@haitang/auth';
import { isCalendarDate, recordStream } from '@haitang/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@haitang/event-store';
import { ApiProblemAnswers, problem, ProblemException } from '@haitang/ledger';
import { auditEntries, auditNames, PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels } from '@haitang/read-store';
import { caughtUp } from '../read-your-writes';
import { type AuditActorView, AuditTrailAnswer } from './audit-answers';
import { AuditQuery } from './audit-query.dto';

const badQuery = (field: string, message: string) => new ProblemException(problem(400, `${field}-invalid`, message, [{ field, message }]));

/** The instant a Shanghai calendar day starts, as stored (ISO-8601 UTC). */
const startOfDay = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString();

/** Event data as the audit shows it: the sealed personal data is only flagged, never echoed. */
function shown(data: unknown): Record<string, unknown> | null {
  if (data === null || typeof data !== 'object' || !('personalData' in data)) return data as Record<string, unknown> | null;
  const { personalData, ...rest } = data as Record<string, unknown>;
  return { ...rest, personalDataSealed: personalData !== null && personalData !== undefined };
}

/**
 * Who did what to which record: the log, filtered by record (stream), by
 * actor, by time and by unit, in log order, with the accounts behind the
 * actor ids while they exist. Scoped like everything else: officials and
 * staff name a unit of their subtree or a record in it; an admin may ask
 * for everything.
 */
@ApiTags('audit log')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(ACCOUNT_STORE) private readonly accounts: AccountStore,
  ) {}

  @Get()
  @Access({
    action: 'read', roles: ['official', 'staff'],
    scope: [orgUnit(query('orgUnitId'), { optional: true }), stream(query('streamId'), { optional: true }), record(query('recordId'), { optional: true })],
  })
  @ApiOperation({ summary: 'Who did what to which record: events by unit, record, actor and time, with their actors' })
  @ApiOkResponse({ type: AuditTrailAnswer })
  async trail(@Query() q: AuditQuery): Promise<AuditTrailAnswer> {
    for (const field of ['from', 'to'] as const) {
      if (q[field] !== undefined && !isCalendarDate(q[field]!)) throw badQuery(field, `${field} 不是有效的日期。(${field} is not a valid date.)`);
    }
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw badQuery('from', '开始日期不能晚于结束日期。(from must not be after to.)');
    const streamId = q.recordId !== undefined ? recordStream(q.recordId) : q.streamId;
    if (q.recordId !== undefined && q.streamId !== undefined && q.streamId !== streamId) {
      throw badQuery('streamId', 'streamId 与 recordId 不一致。(streamId and recordId name different records.)');
    }
    await caughtUp(this.runner, q.minPosition, this.log);
    const actorId = q.actor === undefined ? undefined : (await this.accounts.find(normalizeUsername(q.actor)))?.id ?? q.actor;
    const limit = q.limit ?? 100;
    const entries = await auditEntries(this.db, {
      orgUnitId: q.orgUnitId, streamId, actorId, type: q.type, after: q.after ?? 0, before: q.before, newestFirst: q.order === 'desc', limit,
      from: q.from === undefined ? undefined : startOfDay(q.from), until: q.to === undefined ? undefined : nextDay(q.to),
    });
    // One record's trail (the usual question) is one stream read; a trail across streams reads each event by its position.
    const inStream = streamId === undefined ? null : new Map((await this.log.readStream(streamId)).map((e) => [e.position, e]));
    const events = await Promise.all(entries.map(async (e): Promise<RecordedEvent | undefined> =>
      inStream?.get(e.position) ?? (await this.log.readAll(e.position - 1, 1))[0]));
    const who = new Map<string, { username: string; displayName: string } | null>();
    for (const id of new Set(entries.map((e) => e.actorId).filter((id): id is string => id !== null))) {
      const account = await this.accounts.findById(id);
      who.set(id, account ? { username: account.username, displayName: account.displayName } : null);
    }
    const mentioned = (field: 'volunteerId' | 'activityId') => events.flatMap((e) => {
      const id = (e?.data as Record<string, unknown> | undefined)?.[field];
      return typeof id === 'string' ? [id] : [];
    });
    const names = await auditNames(this.db, { volunteers: mentioned('volunteerId'), activities: mentioned('activityId') });
    return {
      filter: { orgUnitId: q.orgUnitId ?? null, streamId: streamId ?? null, actor: actorId ?? null, from: q.from ?? null, to: q.to ?? null, type: q.type ?? null, order: q.order ?? 'asc' },
      entries: entries.map((e, i) => {
        const event = events[i];
        // Metadata as the ledger writes it (EventMetadata); every field may be missing from an event written otherwise.
        const metadata = (event?.metadata ?? {}) as Partial<Record<'occurredAt' | 'commandId' | 'correlationId', string>> & { actor?: AuditActorView };
        const actor = metadata.actor;
        return {
          position: e.position, recordedAt: e.recordedAt, occurredAt: metadata.occurredAt ?? null, streamId: e.streamId, type: e.type,
          actor: actor ? { ...actor, ...(e.actorId !== null ? (who.get(e.actorId) ?? {}) : {}) } : null,
          commandId: metadata.commandId ?? null, correlationId: metadata.correlationId ?? null,
          data: shown(event?.data ?? null),
        };
      }),
      names,
      next: entries.length === limit ? entries[entries.length - 1].position : null,
      projectedPosition: this.runner.position,
    };
  }
}
