import { decodeJwt } from 'jose';
import { AuthenticationError } from './authentication-error';
import { LOCAL_ISSUER, type LocalTokens } from './local-tokens';
import type { OidcTokens } from './oidc-tokens';
import type { Principal } from './principal';

const CACHE_SIZE = 10_000;

/**
 * Checks a bearer token: ours (signed at sign-in) or, when OIDC_ISSUER is set,
 * the identity provider's; any other issuer is refused. A verified token is
 * remembered until it expires, keyed by its exact text, so a client sending
 * the same token again costs a map lookup instead of a signature check.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, Principal>();

  constructor(
    private readonly local: LocalTokens,
    private readonly oidc: OidcTokens | null,
    private readonly clock: () => number = Date.now,
  ) {}

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > this.clock()) return known;
      this.verified.delete(token);
    }
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError('token-invalid', '登录凭证无效，请重新登录。(The token is not valid; sign in again.)');
    }
    let principal: Principal;
    if (issuer === LOCAL_ISSUER) principal = await this.local.verify(token);
    else if (this.oidc && issuer === this.oidc.issuer) principal = await this.oidc.verify(token);
    else throw new AuthenticationError('token-unknown-issuer', '不认识该登录凭证的签发方。(The token’s issuer is not accepted here.)');
    if (this.verified.size >= CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, principal);
    return principal;
  }
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(value ?? '');
  if (!match) throw new AuthenticationError('token-invalid', '请使用 “Authorization: Bearer <令牌>”。(Send Authorization: Bearer <token>.)');
  return match[1];
}
