import { createHmac, timingSafeEqual } from 'node:crypto';

/** The key that signs check-in codes (32 bytes; derived from the master key by the hosting app). */
export const CHECK_IN_CODE_KEY = Symbol('CheckInCodeKey');

/** What a check-in code says: this activity, from this instant to that one. */
export interface CheckInClaims {
  /** The activity the code checks volunteers in to. */
  readonly activityId: string;
  /** Not valid before (ms since the epoch): when check-in opens. */
  readonly notBefore: number;
  /** Not valid from (ms since the epoch): the end of the activity, or sooner. */
  readonly expiresAt: number;
}

export type CheckInCodeProblem = 'malformed' | 'forged' | 'other-activity' | 'not-yet-valid' | 'expired';

export class CheckInCodeError extends Error {
  constructor(readonly reason: CheckInCodeProblem) {
    super(`check-in code ${reason}`);
    this.name = 'CheckInCodeError';
  }
}

const PURPOSE = 'haitang check-in code v1';
const CODE_PATTERN = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/;

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(`${PURPOSE}.${payload}`).digest();

/**
 * A check-in code: `<payload>.<signature>`, both base64url; the payload is
 * the JSON claims, the signature an HMAC-SHA256 over them with the server's
 * key. Anyone can read a code (it is printed as a QR code at the venue);
 * nobody without the key can make or change one.
 */
export function signCheckInCode(key: Buffer, claims: CheckInClaims): string {
  const payload = Buffer.from(JSON.stringify({ a: claims.activityId, nbf: claims.notBefore, exp: claims.expiresAt })).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** Checks a code's signature, its activity and its validity at `now`; returns its claims or throws CheckInCodeError. */
export function verifyCheckInCode(key: Buffer, code: string, activityId: string, now: Date): CheckInClaims {
  const match = CODE_PATTERN.exec(code);
  if (!match) throw new CheckInCodeError('malformed');
  const [, payload, signature] = match;
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CheckInCodeError('forged');
  let claims: { a?: unknown; nbf?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new CheckInCodeError('malformed');
  }
  if (typeof claims.a !== 'string' || !Number.isSafeInteger(claims.nbf) || !Number.isSafeInteger(claims.exp)) throw new CheckInCodeError('malformed');
  if (claims.a !== activityId) throw new CheckInCodeError('other-activity');
  if (now.getTime() < (claims.nbf as number)) throw new CheckInCodeError('not-yet-valid');
  if (now.getTime() >= (claims.exp as number)) throw new CheckInCodeError('expired');
  return { activityId: claims.a, notBefore: claims.nbf as number, expiresAt: claims.exp as number };
}
