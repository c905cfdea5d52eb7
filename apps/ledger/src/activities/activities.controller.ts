import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, activity, body, orgUnit, param } from '@haitang/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ActivityCommand } from '@haitang/domain';
import { ApiCommandAnswer, CommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { ActivityCommandMessage } from '../command-pipeline/ledger-command';
import { newId, ParseIdPipe } from '../http/ids';
import { ApiProblemAnswers } from '../http/problem-answers';
import {
  AttendanceDto, CancelActivityDto, CompleteActivityDto, PlanActivityDto, RescheduleActivityDto, VolunteerRefDto, WithdrawDto,
} from './activity.dto';
import { CompletionAnswer } from './completion-answer';

@ApiTags('activities')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly gateway: CommandGateway) {}

  private async run(req: FastifyRequest, reply: FastifyReply, command: ActivityCommand) {
    return answer(reply, await this.gateway.execute(new ActivityCommandMessage(command, this.gateway.contextOf(req))));
  }

  @Post()
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('orgUnitId'))] })
  @ApiOperation({ summary: 'Plan an activity' })
  @ApiCommandAnswer(201, CommandAnswer, { location: true })
  async plan(@Body() dto: PlanActivityDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const outcome = await this.gateway.execute(new ActivityCommandMessage({ type: 'PlanActivity', activityId: newId(), ...dto }, this.gateway.contextOf(req)));
    return answer(reply, outcome, `/api/v1/activities/${outcome.result.id}`);
  }

  @Post(':id/rescheduling') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Move an activity to another time (before anyone checked in)' })
  @ApiCommandAnswer(200)
  reschedule(@Param('id', ParseIdPipe) id: string, @Body() dto: RescheduleActivityDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'RescheduleActivity', activityId: id, ...dto });
  }

  @Post(':id/cancellation') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Cancel an activity (no hours can be recorded for it)' })
  @ApiCommandAnswer(200)
  cancel(@Param('id', ParseIdPipe) id: string, @Body() dto: CancelActivityDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'CancelActivity', activityId: id, reason: dto.reason });
  }

  @Post(':id/enrollments') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Enroll a volunteer' })
  @ApiCommandAnswer(200)
  enroll(@Param('id', ParseIdPipe) id: string, @Body() dto: VolunteerRefDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'EnrollVolunteer', activityId: id, volunteerId: dto.volunteerId });
  }

  @Post(':id/withdrawals') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Withdraw an enrollment (before check-in)' })
  @ApiCommandAnswer(200)
  withdraw(@Param('id', ParseIdPipe) id: string, @Body() dto: WithdrawDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'WithdrawEnrollment', activityId: id, volunteerId: dto.volunteerId, reason: dto.reason });
  }

  @Post(':id/check-ins') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Check a volunteer in (walk-ins are enrolled on the spot)' })
  @ApiCommandAnswer(200)
  checkIn(@Param('id', ParseIdPipe) id: string, @Body() dto: AttendanceDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'CheckIn', activityId: id, volunteerId: dto.volunteerId, at: dto.at });
  }

  @Post(':id/check-outs') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Check a volunteer out' })
  @ApiCommandAnswer(200)
  checkOut(@Param('id', ParseIdPipe) id: string, @Body() dto: AttendanceDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    return this.run(req, reply, { type: 'CheckOut', activityId: id, volunteerId: dto.volunteerId, at: dto.at });
  }

  @Post(':id/completion') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'Complete an activity: credits attendees with approved service records' })
  @ApiCommandAnswer(200, CompletionAnswer)
  async complete(
    @Param('id', ParseIdPipe) id: string, @Body() dto: CompleteActivityDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CompletionAnswer> {
    // The decider either completes the activity, answering what it credited, or refuses: never a plain { id }.
    return await this.run(req, reply, { type: 'CompleteActivity', activityId: id, beneficiaries: dto.beneficiaries }) as CompletionAnswer;
  }
}
