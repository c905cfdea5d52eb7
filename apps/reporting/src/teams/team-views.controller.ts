import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, orgUnit, param, team } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels, teamView, unitTeams } from '@haitang/read-store';
import { ApiProblemAnswers, ParseIdPipe, problem, ProblemException } from '@haitang/ledger';
import { caughtUp, ConsistencyQuery } from '../read-your-writes';
import { orgUnitNotFound } from '../org-units/query-checks';
import { TeamAnswer, UnitTeamsAnswer } from './team-answers';

/** Teams (志愿服务队, 党建联盟, 先锋骑行队, 红引擎) and their members. */
@ApiTags('teams')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller()
export class TeamViewsController {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  @Get('org-units/:id/teams')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'The teams formed in the unit or a unit under it, with how many members each has' })
  @ApiOkResponse({ type: UnitTeamsAnswer })
  async teams(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery): Promise<UnitTeamsAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    const teams = await unitTeams(this.db, this.log, id);
    if (teams === null) throw orgUnitNotFound();
    return { orgUnitId: id, teams, projectedPosition: this.runner.position };
  }

  @Get('teams/:id')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [team(param('id'))] })
  @ApiOperation({ summary: 'A team with its members and its history (who joined and left, when and why)' })
  @ApiOkResponse({ type: TeamAnswer })
  async team(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery): Promise<TeamAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    const view = await teamView(this.db, this.log, id);
    if (!view) throw new ProblemException(problem(404, 'team-not-found', '找不到该队伍。(Team not found.)'));
    return { ...view, projectedPosition: this.runner.position };
  }
}
