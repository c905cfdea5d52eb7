import { errors, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { type AccountView, bindingProblem, isRole, usernameProblem } from '../accounts/account';
import { AuthenticationError } from './authentication-error';
import { type Principal, tokenIdOf } from './principal';
import type { SigningKey } from './signing-key';

export const LOCAL_ISSUER = 'urn:haitang';
export const LOCAL_AUDIENCE = 'urn:haitang:api';
const ALGORITHM = 'EdDSA';

/** Claims of a Haitang token besides the registered ones (iss, aud, sub = the account id, iat, exp, jti). */
interface HaitangClaims {
  username: string;
  role: string;
  org_unit: string | null;
  volunteer: string | null;
  name: string;
}

/** Maps jose's refusals to our 401s: an expired token is told apart, anything else is simply invalid. */
export function tokenRefusal(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  if (error instanceof errors.JWTExpired) return new AuthenticationError('token-expired', '登录已过期，请重新登录。(The token has expired; sign in again.)');
  return new AuthenticationError('token-invalid', '登录凭证无效，请重新登录。(The token is not valid; sign in again.)');
}

/**
 * Short-lived tokens that this Haitang signs at sign-in: JWTs signed with
 * EdDSA (Ed25519). Verification accepts EdDSA only, from our issuer, for our
 * audience, unexpired: `none`, HMAC (HS/RS confusion) and foreign keys fail.
 */
export class LocalTokens {
  constructor(
    private readonly key: SigningKey,
    readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async issue(account: AccountView): Promise<{ token: string; expiresAt: string }> {
    const now = Math.floor(this.clock() / 1000);
    const exp = now + this.ttlSeconds;
    const claims: HaitangClaims = { username: account.username, role: account.role, org_unit: account.orgUnitId, volunteer: account.volunteerId, name: account.displayName };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(account.id)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify<HaitangClaims>(token, this.key.publicKey, {
        algorithms: [ALGORITHM],
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
        maxTokenAge: this.ttlSeconds + 60,
        clockTolerance: 5,
        currentDate: new Date(this.clock()),
      });
      const username = typeof payload.username === 'string' ? payload.username : '';
      const principal = {
        id: payload.sub!, username, role: payload.role as Principal['role'], orgUnitId: payload.org_unit ?? null,
        volunteerId: payload.volunteer ?? null, displayName: typeof payload.name === 'string' ? payload.name : username,
      };
      if (!isRole(principal.role) || bindingProblem(principal) !== null || usernameProblem(username) !== null) throw new AuthenticationError('token-invalid', '登录凭证无效。(The token is not valid.)');
      return { ...principal, source: 'local', expiresAt: payload.exp! * 1000, tokenId: tokenIdOf('local', payload.jti) };
    } catch (error) {
      throw tokenRefusal(error);
    }
  }
}
