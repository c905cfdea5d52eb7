import { randomBytes } from 'node:crypto';
import { CheckInCodeError, signCheckInCode, verifyCheckInCode } from '../src/check-in-codes/check-in-code';

const key = randomBytes(32);
const T0 = Date.parse('2026-11-20T01:00:00Z');
const claims = { activityId: 'a-1', notBefore: T0, expiresAt: T0 + 3 * 3600_000 };
const at = (ms: number) => new Date(T0 + ms);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CheckInCodeError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('check-in codes', () => {
  const code = signCheckInCode(key, claims);

  it('are accepted for their activity inside their validity', () => {
    expect(verifyCheckInCode(key, code, 'a-1', at(0))).toEqual(claims);
    expect(verifyCheckInCode(key, code, 'a-1', at(3 * 3600_000 - 1))).toEqual(claims);
  });

  it('are refused before they open, from their expiry, and for another activity', () => {
    expect(refusal(() => verifyCheckInCode(key, code, 'a-1', at(-1)))).toBe('not-yet-valid');
    expect(refusal(() => verifyCheckInCode(key, code, 'a-1', at(3 * 3600_000)))).toBe('expired');
    expect(refusal(() => verifyCheckInCode(key, code, 'a-2', at(60_000)))).toBe('other-activity');
  });

  it('cannot be forged: another key, a changed payload or signature, or junk', () => {
    expect(refusal(() => verifyCheckInCode(randomBytes(32), code, 'a-1', at(0)))).toBe('forged');
    const [payload, signature] = code.split('.');
    const longer = Buffer.from(JSON.stringify({ a: 'a-1', nbf: T0, exp: T0 + 30 * 86_400_000 })).toString('base64url');
    expect(refusal(() => verifyCheckInCode(key, `${longer}.${signature}`, 'a-1', at(0)))).toBe('forged');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(refusal(() => verifyCheckInCode(key, `${payload}.${flipped}`, 'a-1', at(0)))).toBe('forged');
    for (const junk of ['', '.', 'abc', `${payload}.`, `.${signature}`, `${payload}.${signature}.x`, `${payload}.${signature}=`, 'é.é']) {
      expect(refusal(() => verifyCheckInCode(key, junk, 'a-1', at(0)))).toBe('malformed');
    }
  });

  it('refuse a signed payload that is not the claims (defence in depth)', () => {
    // Only the server can sign, but a payload it would never make must still not pass.
    const odd = Buffer.from('[1,2,3]').toString('base64url');
    const signed = signCheckInCode(key, claims).split('.')[1];
    expect(refusal(() => verifyCheckInCode(key, `${odd}.${signed}`, 'a-1', at(0)))).toBe('forged');
  });
});
