import { Body, Controller, Delete, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { VolunteerCommandMessage } from '../command-pipeline/ledger-command';
import { ParseIdPipe } from '../http/ids';
import { EraseVolunteerDto, RegisterVolunteerDto } from './volunteer.dto';

@ApiTags('volunteers')
@Controller('volunteers')
export class VolunteersController {
  constructor(private readonly gateway: CommandGateway) {}

  @Post()
  @ApiOperation({ summary: 'Register a volunteer' })
  async register(@Body() dto: RegisterVolunteerDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { realName, phone, idNumber, ...attributes } = dto;
    const outcome = await this.gateway.execute(new VolunteerCommandMessage(
      { type: 'RegisterVolunteer', volunteerId: randomUUID(), ...attributes, clearPersonalData: { realName, phone, idNumber } },
      this.gateway.contextOf(req),
    ));
    return answer(reply, outcome, `/api/v1/volunteers/${outcome.result.id}`);
  }

  @Delete(':id/personal-data')
  @ApiOperation({ summary: 'Erase a volunteer’s personal data (destroys the key; hours stay)' })
  async erase(@Param('id', ParseIdPipe) id: string, @Body() dto: EraseVolunteerDto = {}, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return answer(reply, await this.gateway.execute(new VolunteerCommandMessage(
      { type: 'EraseVolunteerPersonalData', volunteerId: id, reason: dto?.reason }, this.gateway.contextOf(req))));
  }
}
