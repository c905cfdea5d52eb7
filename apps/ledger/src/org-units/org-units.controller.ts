import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, body, orgUnit, param } from '@haitang/auth';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandAnswer, CommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { OrgUnitCommandMessage } from '../command-pipeline/ledger-command';
import { ParseIdPipe } from '../http/ids';
import { ApiProblemAnswers } from '../http/problem-answers';
import { RegisterOrgUnitDto, RenameOrgUnitDto } from './org-unit.dto';

@ApiTags('org units')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly gateway: CommandGateway) {}

  @Post()
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('parentId'), { absentMeansEverything: true })] })
  @ApiOperation({ summary: 'Register a district, street, town or community' })
  @ApiCommandAnswer(201, CommandAnswer, { location: true })
  async register(@Body() dto: RegisterOrgUnitDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const outcome = await this.gateway.execute(new OrgUnitCommandMessage(
      { type: 'RegisterOrgUnit', orgUnitId: randomUUID(), kind: dto.kind, name: dto.name, parentId: dto.parentId ?? null },
      this.gateway.contextOf(req),
    ));
    return answer(reply, outcome, `/api/v1/org-units/${outcome.result.id}`);
  }

  @Post(':id/renaming')
  @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'Rename an org unit' })
  @ApiCommandAnswer(200)
  async rename(@Param('id', ParseIdPipe) id: string, @Body() dto: RenameOrgUnitDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const outcome = await this.gateway.execute(new OrgUnitCommandMessage({ type: 'RenameOrgUnit', orgUnitId: id, name: dto.name }, this.gateway.contextOf(req)));
    return answer(reply, outcome);
  }
}
