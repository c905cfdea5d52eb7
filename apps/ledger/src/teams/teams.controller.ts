import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, body, orgUnit, param, team, volunteer } from '@haitang/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandAnswer, CommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { TeamCommandMessage } from '../command-pipeline/ledger-command';
import { newId, ParseIdPipe } from '../http/ids';
import { ApiProblemAnswers } from '../http/problem-answers';
import { FormTeamDto, LeaveTeamDto, TeamMemberDto } from './team.dto';

@ApiTags('teams')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('teams')
export class TeamsController {
  constructor(private readonly gateway: CommandGateway) {}

  @Post()
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('orgUnitId'))] })
  @ApiOperation({ summary: 'Form a team (志愿服务队, 党建联盟, 先锋骑行队, 红引擎)' })
  @ApiCommandAnswer(201, CommandAnswer, { location: true })
  async form(@Body() dto: FormTeamDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const outcome = await this.gateway.execute(new TeamCommandMessage({ type: 'FormTeam', teamId: newId(), ...dto }, this.gateway.contextOf(req)));
    return answer(reply, outcome, `/api/v1/teams/${outcome.result.id}`);
  }

  @Post(':id/members')
  // The volunteer too: staff add the volunteers they look after (and see their names on the team's page), not any id of the ledger.
  @Access({ action: 'write', roles: ['staff'], scope: [team(param('id')), volunteer(body('volunteerId'))] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a volunteer to a team' })
  @ApiCommandAnswer(200)
  async join(@Param('id', ParseIdPipe) id: string, @Body() dto: TeamMemberDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return answer(reply, await this.gateway.execute(new TeamCommandMessage({ type: 'JoinTeam', teamId: id, volunteerId: dto.volunteerId }, this.gateway.contextOf(req))));
  }

  @Post(':id/members/:volunteerId/leaving')
  @Access({ action: 'write', roles: ['staff'], scope: [team(param('id'))] })
  @HttpCode(200)
  @ApiOperation({ summary: 'A volunteer leaves a team' })
  @ApiCommandAnswer(200)
  async leave(
    @Param('id', ParseIdPipe) id: string, @Param('volunteerId', ParseIdPipe) volunteerId: string, @Body() dto: LeaveTeamDto,
    @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    return answer(reply, await this.gateway.execute(new TeamCommandMessage({ type: 'LeaveTeam', teamId: id, volunteerId, reason: dto.reason }, this.gateway.contextOf(req))));
  }
}
