import type { FastifyRequest } from 'fastify';
import { principalOf } from '@haitang/auth';
import { problem, ProblemException } from '../http/problem';

/**
 * The volunteer the request is signed in as. Self check-in acts for this
 * volunteer only: the id never comes from the request body.
 */
export function signedInVolunteer(request: FastifyRequest): string {
  const principal = principalOf(request.raw);
  if (principal?.role === 'volunteer' && principal.volunteerId) return principal.volunteerId;
  // Not a refusal of access (admin may call anything): this account simply is no volunteer to check in.
  throw new ProblemException(problem(422, 'volunteer-account-required',
    '请用志愿者账号登录后再扫码签到。(Sign in with a volunteer account to check yourself in.)'));
}
