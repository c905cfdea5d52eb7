import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, accountView, AuthenticationError, principalOf, Public } from '@haitang/auth';
import { unauthenticated } from '../access/refusals';
import { SignInDto } from './account.dto';
import { SignIn } from './sign-in';

@ApiTags('sign-in')
@Controller('sessions')
export class SessionsController {
  constructor(@Inject(SignIn) private readonly signIn: SignIn) {}

  @Post()
  @HttpCode(201)
  @Public()
  @ApiOperation({ summary: 'Sign in with username and password: answers a short-lived bearer token and the account' })
  async create(@Body() dto: SignInDto) {
    try {
      return await this.signIn.signIn(dto.username, dto.password);
    } catch (error) {
      if (error instanceof AuthenticationError) throw unauthenticated(error);
      throw error;
    }
  }

  @Get('current')
  @ApiBearerAuth()
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: 'caller' })
  @ApiOperation({ summary: 'The account of the bearer token' })
  current(@Req() req: FastifyRequest) {
    return accountView(principalOf(req.raw)!);
  }
}
