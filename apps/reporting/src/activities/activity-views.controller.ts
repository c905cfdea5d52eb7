import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, activity, orgUnit, param, query as fromQuery } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { isCalendarDate, shanghaiDate, type WorkingDayCalendar } from '@haitang/domain';
import { activityView, checkDayRange, listActivities, orgUnitExists, PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels } from '@haitang/read-store';
import { ApiProblemAnswers, ParseIdPipe, problem, ProblemException } from '@haitang/ledger';
import { caughtUp, ConsistencyQuery } from '../read-your-writes';
import { checkQuery, orgUnitNotFound } from '../org-units/query-checks';
import { WORKING_DAYS } from '../reporting.tokens';
import { ActivityAnswer, ActivityListAnswer } from './activity-answers';
import { ActivitiesQuery } from './activity-queries.dto';

/** Activities as the read models see them: lists by unit, period and status; one activity with its roster. */
@ApiTags('activities')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('activities')
export class ActivityViewsController {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(WORKING_DAYS) private readonly workingDays: WorkingDayCalendar,
  ) {}

  @Get()
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(fromQuery('orgUnitId'))] })
  @ApiOperation({ summary: 'Activities, newest first, by unit (its whole subtree), start day and status (planned, completed, cancelled, overdue)' })
  @ApiOkResponse({ type: ActivityListAnswer })
  async list(@Query() query: ActivitiesQuery): Promise<ActivityListAnswer> {
    for (const field of ['from', 'to'] as const) {
      const day = query[field];
      if (day !== undefined && !isCalendarDate(day)) {
        const message = `${field} 不是有效的日期。(${field} is not a valid date.)`;
        throw new ProblemException(problem(400, `${field}-invalid`, message, [{ field, message }]));
      }
    }
    if (query.from !== undefined && query.to !== undefined) checkQuery('from', () => checkDayRange(query.from!, query.to!));
    await caughtUp(this.runner, query.minPosition, this.log);
    if (query.orgUnitId !== undefined && !(await orgUnitExists(this.db, query.orgUnitId))) throw orgUnitNotFound();
    const now = new Date();
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const page = await listActivities(this.db, { orgUnitId: query.orgUnitId, from: query.from, to: query.to, status: query.status, limit, offset }, now, this.workingDays);
    return {
      orgUnitId: query.orgUnitId ?? null, from: query.from ?? null, to: query.to ?? null, status: query.status ?? null,
      limit, offset, ...page, asOf: shanghaiDate(now), projectedPosition: this.runner.position,
    };
  }

  @Get(':id')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'One activity: roster, attendance, missed check-outs, status, overdue, credited minutes and its records' })
  @ApiOkResponse({ type: ActivityAnswer })
  async view(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery): Promise<ActivityAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    const activity = await activityView(this.db, id, new Date(), this.workingDays);
    if (!activity) throw new ProblemException(problem(404, 'activity-not-found', '找不到该活动。(Activity not found.)'));
    return { ...activity, projectedPosition: this.runner.position };
  }
}
