import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, activity, body, orgUnit, param, record, volunteer } from '@haitang/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { attendanceRecordId, type ServiceRecordCommand } from '@haitang/domain';
import { ApiCommandAnswer, CommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { ServiceRecordCommandMessage } from '../command-pipeline/ledger-command';
import { newId, ParseIdPipe } from '../http/ids';
import { ApiProblemAnswers } from '../http/problem-answers';
import { AmendServiceDto, ReasonDto, RecordServiceDto, SelfReportDto } from './service-record.dto';

@ApiTags('service records')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller()
export class ServiceRecordsController {
  constructor(private readonly gateway: CommandGateway) {}

  private async run(req: FastifyRequest, reply: FastifyReply, command: ServiceRecordCommand, created = false) {
    const outcome = await this.gateway.execute(new ServiceRecordCommandMessage(command, this.gateway.contextOf(req)));
    return answer(reply, outcome, created ? `/api/v1/service-records/${outcome.result.id}` : undefined);
  }

  @Post('service-records')
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('orgUnitId')), activity(body('activityId'), { optional: true })] })
  @ApiOperation({ summary: 'Staff records service (approved at once)' })
  @ApiCommandAnswer(201, CommandAnswer, { location: true })
  record(@Body() dto: RecordServiceDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const recordId = dto.activityId ? attendanceRecordId(dto.activityId, dto.volunteerId) : newId();
    return this.run(req, reply, { type: 'RecordService', recordId, ...dto, source: 'staff' }, true);
  }

  @Post('volunteers/:id/service-reports')
  @Access({ action: 'write', roles: ['staff', 'volunteer'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'A volunteer reports service done (pending until staff approve it)' })
  @ApiCommandAnswer(201, CommandAnswer, { location: true })
  report(@Param('id', ParseIdPipe) volunteerId: string, @Body() dto: SelfReportDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'RecordService', recordId: newId(), volunteerId, ...dto, source: 'self-report' }, true);
  }

  @Post('service-records/:id/approval') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [record(param('id'))] })
  @ApiOperation({ summary: 'Approve a pending self-report' })
  @ApiCommandAnswer(200)
  approve(@Param('id', ParseIdPipe) id: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'ApproveService', recordId: id });
  }

  @Post('service-records/:id/rejection') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [record(param('id'))] })
  @ApiOperation({ summary: 'Reject a pending self-report, with a reason' })
  @ApiCommandAnswer(200)
  reject(@Param('id', ParseIdPipe) id: string, @Body() dto: ReasonDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'RejectService', recordId: id, reason: dto.reason });
  }

  @Post('service-records/:id/amendments') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [record(param('id'))] })
  @ApiOperation({ summary: 'Correct the minutes of a record, with a reason (history is kept)' })
  @ApiCommandAnswer(200)
  amend(@Param('id', ParseIdPipe) id: string, @Body() dto: AmendServiceDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'AmendService', recordId: id, minutes: dto.minutes, reason: dto.reason });
  }

  @Post('service-records/:id/revocation') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [record(param('id'))] })
  @ApiOperation({ summary: 'Revoke a record, with a reason (history is kept)' })
  @ApiCommandAnswer(200)
  revoke(@Param('id', ParseIdPipe) id: string, @Body() dto: ReasonDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'RevokeService', recordId: id, reason: dto.reason });
  }
}
