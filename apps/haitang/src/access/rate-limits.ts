import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { normalizeUsername } from '@haitang/auth';
import { API_PREFIX } from '../http-prefix';
import type { LimitsConfig } from '../config';
import { problem, ProblemException } from '@haitang/ledger';
import { RequestAuthenticator } from './request-authenticator';

type Limiter = (request: FastifyRequest) => Promise<{ isExceeded?: boolean; ttlInSeconds?: number }>;

const SIGN_IN = `/${API_PREFIX}/sessions`;
const VERIFY = `/${API_PREFIX}/certificates/:number`;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const tooMany = (code: string, detail: string, retryAfter: number) =>
  new ProblemException(problem(429, code, detail), { 'retry-after': String(Math.max(1, retryAfter)) });

/**
 * Rate limits (@fastify/rate-limit, counters in memory, one fixed window per key):
 *   sign-in   per username and per client address, per 15 minutes (brute force);
 *   writes    every POST/DELETE under /api: per account (the verified token's
 *             user) and per client address, per minute;
 *   verifying a certificate (public, no account): per client address, per
 *             minute, so that its verification code cannot be guessed by trying.
 * They run before the access guard and the handler, so a request over a limit
 * is answered 429 problem+json with Retry-After and changes nothing. A limit
 * of 0 is off.
 */
export async function installRateLimits(app: NestFastifyApplication, limits: LimitsConfig): Promise<void> {
  await app.register(rateLimit, { global: false });
  const fastify = app.getHttpAdapter().getInstance();
  const authenticator = app.get(RequestAuthenticator);
  // Each key is worked out once per request: the limiter hands it to the library's key generator,
  // which the library calls synchronously as it starts.
  const keys = new WeakMap<FastifyRequest, string>();
  const limiter = (max: number, timeWindow: string, key: (request: FastifyRequest) => string | null | Promise<string | null>): Limiter | null => {
    if (max === 0) return null;
    const limit = fastify.createRateLimit({ max, timeWindow, keyGenerator: (request) => keys.get(request) ?? '' });
    return async (request) => {
      const found = await key(request);
      if (found === null) return {};
      keys.set(request, found);
      return limit(request);
    };
  };
  const signInPerIp = limiter(limits.signInPerIp, '15 minutes', (r) => `sign-in|ip|${r.ip}`);
  const signInPerUsername = limiter(limits.signInPerUsername, '15 minutes', (r) => {
    const username = (r.body as { username?: unknown } | undefined)?.username;
    return typeof username === 'string' ? `sign-in|user|${normalizeUsername(username)}` : null;
  });
  const writesPerIp = limiter(limits.writesPerIp, '1 minute', (r) => `write|ip|${r.ip}`);
  const verificationsPerIp = limiter(limits.verificationsPerIp, '1 minute', (r) => `verify|ip|${r.ip}`);
  const writesPerAccount = limiter(limits.writesPerAccount, '1 minute', async (r) => {
    const principal = await authenticator.principalIfAny(r);
    return principal ? `write|account|${principal.id}` : null;
  });

  fastify.addHook('preHandler', async (request) => {
    // HEAD too: Fastify answers it from the GET route, and its status alone tells a right code from a wrong one.
    if ((request.method === 'GET' || request.method === 'HEAD') && request.routeOptions.url === VERIFY) {
      const outcome = await verificationsPerIp?.(request);
      if (outcome?.isExceeded) {
        throw tooMany('too-many-verifications', `核验过于频繁，请 ${outcome.ttlInSeconds} 秒后再试。(Too many certificate checks from this address; retry in ${outcome.ttlInSeconds} s.)`, outcome.ttlInSeconds ?? 60);
      }
      return;
    }
    if (!WRITES.has(request.method) || !request.url.startsWith(`/${API_PREFIX}/`)) return;
    if (request.routeOptions.url === SIGN_IN) {
      for (const check of [signInPerIp, signInPerUsername]) {
        const outcome = await check?.(request);
        if (outcome?.isExceeded) {
          throw tooMany('too-many-sign-ins', `登录尝试过于频繁，请 ${outcome.ttlInSeconds} 秒后再试。(Too many sign-in attempts; retry in ${outcome.ttlInSeconds} s.)`, outcome.ttlInSeconds ?? 60);
        }
      }
      return;
    }
    for (const check of [writesPerIp, writesPerAccount]) {
      const outcome = await check?.(request);
      if (outcome?.isExceeded) {
        throw tooMany('too-many-writes', `提交过于频繁，本次未保存，请 ${outcome.ttlInSeconds} 秒后再试。(Too many changes in a short time; nothing was recorded. Retry in ${outcome.ttlInSeconds} s.)`, outcome.ttlInSeconds ?? 60);
      }
    }
  });
}
