import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ACCOUNT_STORE, type AccountStore, body, orgUnit, param, volunteer } from '@haitang/auth';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandAnswer, CommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { VolunteerCommandMessage } from '../command-pipeline/ledger-command';
import { ParseIdPipe } from '../http/ids';
import { ApiProblemAnswers } from '../http/problem-answers';
import { ChangeVolunteerProfileDto, EraseVolunteerDto, RegisterVolunteerDto } from './volunteer.dto';

/** Personal data in a request body: sealed before any event, and never part of a receipt's fingerprint. */
const PERSONAL_FIELDS = ['realName', 'phone', 'idNumber'];

@ApiTags('volunteers')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('volunteers')
export class VolunteersController {
  constructor(
    private readonly gateway: CommandGateway,
    @Inject(ACCOUNT_STORE) private readonly accounts: AccountStore,
  ) {}

  @Post()
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('homeOrgUnitId'))] })
  @ApiOperation({ summary: 'Register a volunteer' })
  @ApiCommandAnswer(201, CommandAnswer, { location: true })
  async register(@Body() dto: RegisterVolunteerDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const { realName, phone, idNumber, ...attributes } = dto;
    const outcome = await this.gateway.execute(new VolunteerCommandMessage(
      { type: 'RegisterVolunteer', volunteerId: randomUUID(), ...attributes, clearPersonalData: { realName, phone, idNumber } },
      this.gateway.contextOf(req, PERSONAL_FIELDS),
    ));
    return answer(reply, outcome, `/api/v1/volunteers/${outcome.result.id}`);
  }

  @Post(':id/profile-changes')
  @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [volunteer(param('id')), orgUnit(body('homeOrgUnitId'), { optional: true })] })
  @ApiOperation({ summary: 'Change a volunteer’s profile: name shown, home unit, party member, senior, occupation (only the fields given)' })
  @ApiCommandAnswer(200)
  async changeProfile(@Param('id', ParseIdPipe) id: string, @Body() dto: ChangeVolunteerProfileDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const outcome = await this.gateway.execute(new VolunteerCommandMessage(
      { type: 'UpdateVolunteerProfile', volunteerId: id, changes: { ...dto } }, this.gateway.contextOf(req)));
    return answer(reply, outcome);
  }

  @Delete(':id/personal-data')
  @Access({ action: 'write', roles: ['staff'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'Erase a volunteer’s personal data (destroys the key and their sign-in accounts; hours stay)' })
  @ApiCommandAnswer(200)
  async erase(@Param('id', ParseIdPipe) id: string, @Body() dto: EraseVolunteerDto = {}, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandAnswer> {
    const outcome = await this.gateway.execute(new VolunteerCommandMessage(
      { type: 'EraseVolunteerPersonalData', volunteerId: id, reason: dto?.reason }, this.gateway.contextOf(req)));
    // The volunteer's sign-in accounts go too (a username may well be their phone number); a repeat removes nothing more.
    await this.accounts.removeVolunteerAccounts(id);
    return answer(reply, outcome);
  }
}
