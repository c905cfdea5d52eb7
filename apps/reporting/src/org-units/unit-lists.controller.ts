import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, orgUnit, param } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { orgUnitExists, PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels, unitRecords, unitVolunteers } from '@haitang/read-store';
import { ApiProblemAnswers, ParseIdPipe } from '@haitang/ledger';
import { caughtUp } from '../read-your-writes';
import { orgUnitNotFound } from './query-checks';
import { UnitRecordsAnswer, UnitVolunteersAnswer } from './unit-list-answers';
import { UnitRecordsQuery, UnitVolunteersQuery } from './unit-lists.dto';

/** What a community's staff work through: its volunteers, and its records (the approval queue). */
@ApiTags('org units')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('org-units')
export class UnitListsController {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  @Get(':id/volunteers')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'Volunteers whose home is the unit or a unit under it, by name, with their approved hours' })
  @ApiOkResponse({ type: UnitVolunteersAnswer })
  async volunteers(@Param('id', ParseIdPipe) id: string, @Query() query: UnitVolunteersQuery): Promise<UnitVolunteersAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    if (!(await orgUnitExists(this.db, id))) throw orgUnitNotFound();
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    return { orgUnitId: id, limit, offset, ...(await unitVolunteers(this.db, id, { q: query.q, limit, offset })), projectedPosition: this.runner.position };
  }

  @Get(':id/service-records')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'Service records organised by the unit or a unit under it, newest first (status=pending: the approval queue)' })
  @ApiOkResponse({ type: UnitRecordsAnswer })
  async records(@Param('id', ParseIdPipe) id: string, @Query() query: UnitRecordsQuery): Promise<UnitRecordsAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    if (!(await orgUnitExists(this.db, id))) throw orgUnitNotFound();
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    return {
      orgUnitId: id, status: query.status ?? null, limit, offset,
      ...(await unitRecords(this.db, this.log, id, { status: query.status, limit, offset })), projectedPosition: this.runner.position,
    };
  }
}
