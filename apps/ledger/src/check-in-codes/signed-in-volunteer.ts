import type { FastifyRequest } from 'fastify';
import { problem, ProblemException } from '../http/problem';

/**
 * The volunteer the request is signed in as. Self check-in acts for this
 * volunteer only: the id never comes from the request body.
 */
export function signedInVolunteer(_request: FastifyRequest): string {
  throw new ProblemException(problem(403, 'volunteer-sign-in-required',
    '请用志愿者账号登录后再扫码签到。(Sign in with a volunteer account to check yourself in.)'));
}
