import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { SignJWT } from 'jose';
import { IdentityProviderUnavailable, OidcTokens } from '../src';

/** A port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('OIDC tokens when the identity provider cannot be reached', () => {
  it('says the provider is unavailable (answered 503), not that the token is bad, and tries discovery again next time', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}/realms/suzhou`;
    const tokens = new OidcTokens({ issuer, audience: null, jwksUri: null, roleClaim: 'haitang_role', orgUnitClaim: 'haitang_org_unit', volunteerClaim: 'haitang_volunteer' });
    const token = await new SignJWT({ haitang_role: 'admin' }).setProtectedHeader({ alg: 'RS256' }).setIssuer(issuer).setSubject('x')
      .setExpirationTime('5m').sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });
});
