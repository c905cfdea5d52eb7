import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, param, volunteer } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { PROJECTION_PROGRESS, READ_MODELS, type ReadModels, type ProjectionProgress, volunteerHours, volunteerRecords } from '@haitang/read-store';
import { ApiProblemAnswers, ParseIdPipe, problem, ProblemException } from '@haitang/ledger';
import { caughtUp, ConsistencyQuery } from '../read-your-writes';
import { STAR_THRESHOLDS } from '../reporting.tokens';
import { VolunteerHoursAnswer, VolunteerRecordsAnswer } from './volunteer-answers';

const notFound = () => new ProblemException(problem(404, 'volunteer-not-found', '找不到该志愿者。(Volunteer not found.)'));

@ApiTags('volunteers')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('volunteers')
export class VolunteerHoursController {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(STAR_THRESHOLDS) private readonly thresholds: number[],
  ) {}

  @Get(':id/hours')
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'Approved and pending minutes, by category and year, star level and the way to the next star' })
  @ApiOkResponse({ type: VolunteerHoursAnswer })
  async hours(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery): Promise<VolunteerHoursAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    const hours = await volunteerHours(this.db, id, this.thresholds);
    if (!hours) throw notFound();
    return { ...hours, projectedPosition: this.runner.position };
  }

  @Get(':id/records')
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'Every service record of the volunteer with its status and full history of corrections' })
  @ApiOkResponse({ type: VolunteerRecordsAnswer })
  async records(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery): Promise<VolunteerRecordsAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    if (!(await volunteerHours(this.db, id, this.thresholds))) throw notFound();
    return { volunteerId: id, records: await volunteerRecords(this.db, this.log, id), projectedPosition: this.runner.position };
  }
}
