import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, accountView, AuthenticationError, principalOf, Public } from '@haitang/auth';
import { ApiProblemAnswers } from '@haitang/ledger';
import { unauthenticated } from '../access/refusals';
import { AccountSummary, SessionAnswer, SignedOutAnswer } from './account-answers';
import { SignedOutTokens } from './disabled-accounts';
import { SignInDto } from './account.dto';
import { SignIn } from './sign-in';

@ApiTags('sign-in')
@ApiProblemAnswers()
@Controller('sessions')
export class SessionsController {
  constructor(@Inject(SignIn) private readonly signIn: SignIn, @Inject(SignedOutTokens) private readonly signedOut: SignedOutTokens) {}

  @Post()
  @HttpCode(201)
  @Public()
  @ApiOperation({ summary: 'Sign in with username and password: answers a short-lived bearer token and the account' })
  @ApiCreatedResponse({ type: SessionAnswer })
  async create(@Body() dto: SignInDto): Promise<SessionAnswer> {
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
  @ApiOkResponse({ type: AccountSummary })
  current(@Req() req: FastifyRequest): AccountSummary {
    return accountView(principalOf(req.raw)!);
  }

  @Delete('current')
  @HttpCode(200)
  @ApiBearerAuth()
  @Access({ action: 'self', roles: ['official', 'staff', 'volunteer'], scope: 'caller' })
  @ApiOperation({ summary: 'Sign out: the bearer token is refused from now on (a shared computer, a lost phone), in every process within seconds' })
  @ApiOkResponse({ type: SignedOutAnswer })
  async signOut(@Req() req: FastifyRequest): Promise<SignedOutAnswer> {
    const principal = principalOf(req.raw)!;
    // A token without an id (some identity providers' tokens) cannot be told apart from the account's others: it simply expires.
    if (principal.tokenId !== null) await this.signedOut.signOut(principal.tokenId, principal.expiresAt);
    return { signedOut: principal.tokenId !== null, expiresAt: new Date(principal.expiresAt).toISOString() };
  }
}
