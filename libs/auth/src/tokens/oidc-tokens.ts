import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { bindingProblem, isRole } from '../accounts/account';
import { AuthenticationError } from './authentication-error';
import { tokenRefusal } from './local-tokens';
import { type Principal, tokenIdOf } from './principal';

/** How tokens of a city's identity provider are checked and read (see README, "Sign-in and roles"). */
export interface OidcSettings {
  readonly issuer: string;
  /** Expected `aud` (OIDC_AUDIENCE); unchecked when null. */
  readonly audience: string | null;
  /** The provider's JWKS (OIDC_JWKS_URI); found by discovery at <issuer>/.well-known/openid-configuration when null. */
  readonly jwksUri: string | null;
  /** Claim names, dotted paths allowed (e.g. `realm_access.roles`). */
  readonly roleClaim: string;
  readonly orgUnitClaim: string;
  readonly volunteerClaim: string;
}

/** The identity provider could not be reached: answered 503, not 401 (the token may well be fine). */
export class IdentityProviderUnavailable extends Error {
  override readonly name = 'IdentityProviderUnavailable';
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

function claim(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * Tokens of an OpenID Connect provider (OIDC_ISSUER): signature checked against
 * the provider's published keys (JWKS, fetched and cached by jose), asymmetric
 * algorithms only, issuer and (when set) audience checked. The role, org unit
 * and volunteer come from configurable claims; a token without exactly one
 * Haitang role, or with a role bound wrongly, is refused.
 */
export class OidcTokens {
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(private readonly settings: OidcSettings, private readonly clock: () => number = Date.now) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discover().then((uri) => createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }));
    // A failed discovery is tried again by the next request.
    this.keys.catch(() => { this.keys = null; });
    return this.keys;
  }

  private async discover(): Promise<string> {
    if (this.settings.jwksUri) return this.settings.jwksUri;
    const url = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = await response.json() as typeof document;
    } catch (error) {
      throw new IdentityProviderUnavailable(`OIDC discovery at ${url} failed: ${(error as Error).message}`);
    }
    if (document.issuer !== this.settings.issuer || typeof document.jwks_uri !== 'string') {
      throw new IdentityProviderUnavailable(`OIDC discovery at ${url} did not name issuer ${this.settings.issuer} with a jwks_uri`);
    }
    return document.jwks_uri;
  }

  async verify(token: string): Promise<Principal> {
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ASYMMETRIC,
        issuer: this.settings.issuer,
        ...(this.settings.audience ? { audience: this.settings.audience } : {}),
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 30,
        currentDate: new Date(this.clock()),
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) {
        throw new IdentityProviderUnavailable(`The identity provider's keys could not be fetched: ${error.message}`);
      }
      throw tokenRefusal(error);
    }
    const roleValue = claim(payload, this.settings.roleClaim);
    const roles = (Array.isArray(roleValue) ? roleValue : [roleValue]).filter(isRole);
    if (roles.length !== 1) {
      throw new AuthenticationError('token-without-role', '该身份没有海棠的角色。(The token carries no single Haitang role.)');
    }
    const principal = {
      id: `oidc:${payload.sub}`,
      username: text(payload.preferred_username) ?? `oidc:${payload.sub}`,
      role: roles[0],
      orgUnitId: roles[0] === 'official' || roles[0] === 'staff' ? text(claim(payload, this.settings.orgUnitClaim)) : null,
      volunteerId: roles[0] === 'volunteer' ? text(claim(payload, this.settings.volunteerClaim)) : null,
      displayName: text(payload.name) ?? text(payload.preferred_username) ?? payload.sub!,
    };
    if (bindingProblem(principal) !== null) {
      throw new AuthenticationError('token-without-role', '该身份的角色缺少所属单位或志愿者编号。(The token’s role lacks its org unit or volunteer claim.)');
    }
    return { ...principal, source: 'oidc', expiresAt: payload.exp! * 1000, tokenId: tokenIdOf('oidc', payload.jti) };
  }
}
