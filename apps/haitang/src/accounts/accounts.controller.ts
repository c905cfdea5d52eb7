import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  Access, account, ACCOUNT_STORE, AccountExistsError, AccountRequestInvalid, type AccountStore, accountView, body, generatePassword,
  hashPassword, newAccount, normalizeUsername, orgUnit, param, passwordProblem, principalOf, query, SCOPE_DIRECTORY, type ScopeDirectory, volunteer,
} from '@haitang/auth';
import { ApiProblemAnswers, correlationIdOf, problem, ProblemException } from '@haitang/ledger';
import { READ_MODELS, type ReadModels, subtreeOrgUnitIds, volunteerIdsUnder } from '@haitang/read-store';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { roleNotPermitted, unauthenticated } from '../access/refusals';
import { AccountListAnswer, AccountStatusAnswer, CreatedAccountAnswer, PasswordChangedAnswer, PasswordResetAnswer } from './account-answers';
import { DisabledAccounts } from './disabled-accounts';
import { AccountsQuery, ChangePasswordDto, CreateAccountDto } from './account.dto';
import { accountDisabled, SignIn } from './sign-in';

const invalid = (field: string, message: string) => new ProblemException(problem(422, `${field}-invalid`, message, [{ field, message }]));
const accountNotFound = () => new ProblemException(problem(404, 'account-not-found', '找不到该账号。(No such account.)'));

/**
 * Sign-in accounts: an admin creates any; staff create official, staff and
 * volunteer accounts within their unit's subtree and reset their passwords.
 * Everyone may change their own password. A generated password is answered
 * once and never stored in clear.
 */
@ApiTags('sign-in')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('accounts')
export class AccountsController {
  constructor(
    @Inject(ACCOUNT_STORE) private readonly accounts: AccountStore,
    @Inject(SCOPE_DIRECTORY) private readonly scopes: ScopeDirectory,
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(SignIn) private readonly signIn: SignIn,
    @Inject(DisabledAccounts) private readonly disabled: DisabledAccounts,
    @InjectPinoLogger('accounts') private readonly logger: PinoLogger,
  ) {}

  @Post()
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('orgUnitId'), { optional: true }), volunteer(body('volunteerId'), { optional: true })] })
  @ApiOperation({ summary: 'Create an account bound to a unit (official, staff) or a volunteer; answers a generated password once' })
  @ApiCreatedResponse({ type: CreatedAccountAnswer, headers: { Location: { description: 'The account', schema: { type: 'string' } } } })
  async create(@Body() dto: CreateAccountDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CreatedAccountAnswer> {
    const caller = principalOf(req.raw)!;
    if (dto.role === 'admin' && caller.role !== 'admin') throw roleNotPermitted();
    // Staff reach here only for a unit or volunteer in their scope, which therefore exists; check for admins.
    if (dto.orgUnitId !== undefined && !(await this.scopes.locate('org-unit', dto.orgUnitId))) {
      throw invalid('orgUnitId', '找不到该单位。(No such org unit.)');
    }
    if (dto.volunteerId !== undefined && !(await this.scopes.locate('volunteer', dto.volunteerId))) {
      throw invalid('volunteerId', '找不到该志愿者。(No such volunteer.)');
    }
    try {
      const made = await newAccount(dto, caller.id);
      await this.accounts.create(made.account);
      // Ids only: a username may be personal data (a phone number), and logs are not erased.
      this.logger.info({ correlationId: correlationIdOf(req.raw), actor: caller.id, account: made.account.id, role: made.account.role }, 'account created');
      void reply.status(201).header('location', `/api/v1/accounts/${made.account.username}`);
      return { account: accountView(made.account), ...(made.generatedPassword ? { password: made.generatedPassword } : {}) };
    } catch (error) {
      if (error instanceof AccountRequestInvalid) throw invalid(error.field, error.message);
      if (error instanceof AccountExistsError) throw new ProblemException(problem(409, 'username-taken', '该用户名已被使用。(This username is taken.)'));
      throw error;
    }
  }

  @Get()
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(query('orgUnitId'))] })
  @ApiOperation({ summary: 'Accounts bound to a unit’s subtree or to its volunteers (every account for an admin without orgUnitId)' })
  @ApiOkResponse({ type: AccountListAnswer })
  async list(@Query() q: AccountsQuery): Promise<AccountListAnswer> {
    const found = q.orgUnitId === undefined ? await this.accounts.list()
      : await this.accounts.list({ orgUnitIds: await subtreeOrgUnitIds(this.db, q.orgUnitId), volunteerIds: await volunteerIdsUnder(this.db, q.orgUnitId) });
    return { orgUnitId: q.orgUnitId ?? null, accounts: found.map((a) => ({ ...accountView(a), createdAt: a.createdAt, createdBy: a.createdBy, disabledAt: a.disabled?.at ?? null })) };
  }

  @Post('me/password')
  @HttpCode(200)
  @Access({ action: 'self', roles: ['official', 'staff', 'volunteer'], scope: 'caller' })
  @ApiOperation({ summary: 'Change your own password (the current one is required)' })
  @ApiOkResponse({ type: PasswordChangedAnswer })
  async changeOwn(@Body() dto: ChangePasswordDto, @Req() req: FastifyRequest): Promise<PasswordChangedAnswer> {
    const caller = principalOf(req.raw)!;
    if (caller.source !== 'local') {
      throw new ProblemException(problem(409, 'not-a-local-account', '该账号由统一身份认证管理，请在那里修改密码。(This identity is managed by the identity provider.)'));
    }
    const weak = passwordProblem(dto.newPassword);
    if (weak) throw invalid('newPassword', weak);
    try {
      await this.signIn.check(caller.username, dto.currentPassword);
    } catch {
      throw invalid('currentPassword', '当前密码不正确。(The current password is wrong.)');
    }
    await this.accounts.setPasswordHash(caller.username, await hashPassword(dto.newPassword));
    this.logger.info({ correlationId: correlationIdOf(req.raw), actor: caller.id }, 'password changed');
    return { username: caller.username, changed: true };
  }

  @Post(':username/disabling')
  @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [account(param('username'))] })
  @ApiOperation({ summary: 'Disable an account (someone left): it cannot sign in and its tokens are refused at once; staff for accounts of their subtree, admin for any' })
  @ApiOkResponse({ type: AccountStatusAnswer })
  disable(@Param('username') username: string, @Req() req: FastifyRequest): Promise<AccountStatusAnswer> {
    return this.setDisabled(username, req, true);
  }

  @Post(':username/enabling')
  @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [account(param('username'))] })
  @ApiOperation({ summary: 'Enable a disabled account again (the same rule as disabling)' })
  @ApiOkResponse({ type: AccountStatusAnswer })
  enable(@Param('username') username: string, @Req() req: FastifyRequest): Promise<AccountStatusAnswer> {
    return this.setDisabled(username, req, false);
  }

  /**
   * Disabling twice keeps the first time; enabling an enabled account changes nothing (a retry answers the same).
   * The caller is read afresh (another process may have disabled them a moment ago), the last enabled admin
   * stays enabled, and an account an admin disabled is enabled again only by an admin.
   */
  private async setDisabled(username: string, req: FastifyRequest, disable: boolean): Promise<AccountStatusAnswer> {
    const caller = principalOf(req.raw)!;
    if (caller.source === 'local' && (await this.accounts.findById(caller.id))?.disabled) throw unauthenticated(accountDisabled());
    const target = await this.accounts.find(normalizeUsername(username));
    if (!target) throw accountNotFound();
    if (disable && target.id === caller.id) {
      throw new ProblemException(problem(409, 'cannot-disable-self', '不能停用自己正在使用的账号。(You cannot disable the account you are signed in with.)'));
    }
    if (!disable && target.disabled?.byAdmin && caller.role !== 'admin') {
      throw new ProblemException(problem(403, 'disabled-by-admin', '该账号由管理员停用，只有管理员可以恢复。(An admin disabled this account; only an admin can enable it again.)'));
    }
    // Disabling again keeps the first time, except that an admin's disabling replaces a staff member's (then only an admin undoes it).
    const disabled = !disable ? null
      : target.disabled && (target.disabled.byAdmin || caller.role !== 'admin') ? target.disabled
        : { at: target.disabled?.at ?? new Date().toISOString(), by: caller.id, byAdmin: caller.role === 'admin' };
    if ((target.disabled ?? null) !== disabled) {
      if (!(await this.accounts.setDisabled(target.username, disabled))) {
        // Refused for the last enabled admin, or the account went meanwhile (a volunteer erased).
        if (!(await this.accounts.find(target.username))) throw accountNotFound();
        throw new ProblemException(problem(409, 'last-admin', '这是最后一个可用的管理员账号，不能停用。(This is the last enabled admin account.)'));
      }
      // The change is made: a failed re-reading of the set is logged, not answered (the timer reads it again).
      await this.disabled.refresh().catch((error: Error) => this.logger.warn({ error: error.message }, 'disabled accounts not read again'));
      this.logger.info({ correlationId: correlationIdOf(req.raw), actor: caller.id, account: target.id }, disable ? 'account disabled' : 'account enabled');
    }
    return { username: target.username, disabledAt: disabled?.at ?? null };
  }

  @Post(':username/password-reset')
  @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [account(param('username'))] })
  @ApiOperation({ summary: 'Give an account a new random password (answered once): staff for accounts of their subtree, admin for any' })
  @ApiOkResponse({ type: PasswordResetAnswer })
  async reset(@Param('username') username: string, @Req() req: FastifyRequest): Promise<PasswordResetAnswer> {
    const caller = principalOf(req.raw)!;
    const target = await this.accounts.find(normalizeUsername(username));
    if (!target) throw accountNotFound();
    const password = generatePassword();
    await this.accounts.setPasswordHash(target.username, await hashPassword(password));
    this.logger.info({ correlationId: correlationIdOf(req.raw), actor: caller.id, account: target.id }, 'password reset');
    return { username: target.username, password };
  }
}
