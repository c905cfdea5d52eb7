import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf } from '@haitang/ledger';
import {
  AuthenticationError, bearerToken, IdentityProviderUnavailable, type Principal, setPrincipal, TokenVerifier,
} from '@haitang/auth';
import { DisabledAccounts, SignedOutTokens } from '../accounts/disabled-accounts';
import { accountDisabled, tokenSignedOut } from '../accounts/sign-in';
import { identityProviderUnavailable, signInRequired, unauthenticated } from './refusals';

/**
 * Who is calling: the bearer token verified once per request (the rate
 * limiter asks before the access guard does, and both get the same answer).
 * Throws the 401 (or 503) problem to answer when there is no acceptable token.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly logger = new Logger('access');
  private readonly verified = new WeakMap<object, Promise<Principal>>();

  constructor(private readonly tokens: TokenVerifier, private readonly disabled: DisabledAccounts, private readonly signedOut: SignedOutTokens) {}

  principal(request: FastifyRequest): Promise<Principal> {
    let found = this.verified.get(request.raw);
    if (!found) {
      found = this.verify(request);
      this.verified.set(request.raw, found);
    }
    return found;
  }

  /** The caller, or null when the request carries no acceptable token (for keys that need no proof). */
  async principalIfAny(request: FastifyRequest): Promise<Principal | null> {
    if (request.headers.authorization === undefined) return null;
    return this.principal(request).catch(() => null);
  }

  private async verify(request: FastifyRequest): Promise<Principal> {
    try {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) throw signInRequired();
      const principal = await this.tokens.verify(token);
      // A disabled account's tokens are refused until they expire, or until it is enabled again.
      if (principal.source === 'local' && this.disabled.has(principal.id)) throw accountDisabled();
      // A token signed out (DELETE /sessions/current) is refused until it expires.
      if (principal.tokenId !== null && this.signedOut.has(principal.tokenId)) throw tokenSignedOut();
      setPrincipal(request.raw, principal);
      return principal;
    } catch (error) {
      if (error instanceof AuthenticationError) throw unauthenticated(error);
      if (error instanceof IdentityProviderUnavailable) {
        this.logger.warn({ correlationId: correlationIdOf(request.raw) }, error.message);
        throw identityProviderUnavailable(error);
      }
      throw error;
    }
  }
}
