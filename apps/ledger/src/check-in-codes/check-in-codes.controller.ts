import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, activity, param } from '@haitang/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { activityDecider, activityStream, EARLY_CHECK_IN_MINUTES, MINUTE_MS } from '@haitang/domain';
import { ApiCommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { DecisionRunner } from '../command-pipeline/decision-runner';
import { ActivityCommandMessage } from '../command-pipeline/ledger-command';
import { ParseIdPipe } from '../http/ids';
import { type FieldError, problem, ProblemException } from '../http/problem';
import { ApiProblemAnswers } from '../http/problem-answers';
import { CheckInCodeAnswer, SelfCheckInAnswer } from './check-in-code-answers';
import { CHECK_IN_CODE_KEY, CheckInCodeError, type CheckInCodeProblem, signCheckInCode, verifyCheckInCode } from './check-in-code';
import { IssueCheckInCodeDto, SelfCheckInDto } from './check-in-code.dto';
import { signedInVolunteer } from './signed-in-volunteer';

const CODE_REFUSALS: Record<CheckInCodeProblem, { code: string; message: string }> = {
  malformed: { code: 'check-in-code-invalid', message: '签到码无效，请重新扫描活动现场的二维码。(The check-in code is not valid.)' },
  forged: { code: 'check-in-code-invalid', message: '签到码无效，请重新扫描活动现场的二维码。(The check-in code is not valid.)' },
  'other-activity': { code: 'check-in-code-invalid', message: '这个签到码不属于该活动。(The check-in code belongs to another activity.)' },
  'not-yet-valid': { code: 'check-in-not-open', message: `签到尚未开始：活动开始前 ${EARLY_CHECK_IN_MINUTES} 分钟内才能签到。(Check-in opens ${EARLY_CHECK_IN_MINUTES} minutes before the start.)` },
  expired: { code: 'check-in-code-expired', message: '签到码已过期，请扫描现场最新的二维码。(The check-in code has expired; scan the current one.)' },
};

/**
 * QR check-in: staff show a signed, expiring code bound to an activity and its
 * time window; a volunteer who scans it and is signed in checks themselves in
 * through the same CheckIn command as the roster (so every rule still holds).
 * Codes are not stored: the signature is the proof.
 */
@ApiTags('activities')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('activities')
export class CheckInCodesController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly runner: DecisionRunner,
    @Inject(CHECK_IN_CODE_KEY) private readonly key: Buffer,
  ) {}

  @Post(':id/check-in-codes') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [activity(param('id'))] })
  @ApiOperation({ summary: 'A signed check-in code for the activity (shown as a QR code), valid from one hour before the start until the end' })
  @ApiOkResponse({ type: CheckInCodeAnswer })
  async issue(@Param('id', ParseIdPipe) id: string, @Body() dto: IssueCheckInCodeDto): Promise<CheckInCodeAnswer> {
    const { state } = await this.runner.load(activityDecider, activityStream(id));
    if (state.status === 'none' || !state.details) throw new ProblemException(problem(404, 'activity-not-found', '找不到该活动。(Activity not found.)'));
    if (state.status === 'cancelled') throw new ProblemException(problem(409, 'activity-cancelled', '活动已取消。(The activity was cancelled.)'));
    if (state.status === 'completed') throw new ProblemException(problem(409, 'activity-completed', '活动已结束并已记录时长。(The activity is already completed.)'));
    const now = Date.now();
    const endsAt = Date.parse(state.details.endsAt);
    if (now >= endsAt) throw new ProblemException(problem(409, 'check-in-closed', '活动已结束，不能再签到。(The activity has ended; check-in is closed.)'));
    const notBefore = Date.parse(state.details.startsAt) - EARLY_CHECK_IN_MINUTES * MINUTE_MS;
    const expiresAt = dto.validMinutes === undefined ? endsAt : Math.min(endsAt, now + dto.validMinutes * MINUTE_MS);
    const code = signCheckInCode(this.key, { activityId: id, notBefore, expiresAt });
    return {
      activityId: id,
      code,
      path: `/check-in/${encodeURIComponent(id)}?code=${encodeURIComponent(code)}`,
      notBefore: new Date(notBefore).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  @Post(':id/self-check-ins') @HttpCode(200)
  // Any activity (a walk-in from another community is welcome); only ever for the signed-in volunteer.
  @Access({ action: 'write', roles: ['volunteer'], scope: 'caller' })
  @ApiOperation({ summary: 'A signed-in volunteer checks themselves in with the code from the QR code' })
  @ApiCommandAnswer(200, SelfCheckInAnswer)
  async selfCheckIn(
    @Param('id', ParseIdPipe) id: string, @Body() dto: SelfCheckInDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SelfCheckInAnswer> {
    const volunteerId = signedInVolunteer(req);
    const context = this.gateway.contextOf(req);
    try {
      verifyCheckInCode(this.key, dto.code, id, context.now);
    } catch (error) {
      if (!(error instanceof CheckInCodeError)) throw error;
      const refusal = CODE_REFUSALS[error.reason];
      const errors: FieldError[] = [{ field: 'code', message: refusal.message }];
      throw new ProblemException(problem(422, refusal.code, refusal.message, errors));
    }
    const outcome = await this.gateway.execute(new ActivityCommandMessage({ type: 'CheckIn', activityId: id, volunteerId }, context));
    return { ...answer(reply, outcome), volunteerId };
  }
}
