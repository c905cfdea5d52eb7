import type { Actor } from '@haitang/domain';
import type { AccountView } from '../accounts/account';

/** Who is calling, as proven by a verified token. */
export interface Principal extends AccountView {
  /** `local`: a token this Haitang signed; `oidc`: a token of the identity provider at OIDC_ISSUER. */
  readonly source: 'local' | 'oidc';
  /** When the token stops being accepted (ms since the epoch). */
  readonly expiresAt: number;
  /** The token's own id (`local:` or `oidc:` and its `jti`: the two issuers' ids never mix), by which signing out refuses it; null when it has none. */
  readonly tokenId: string | null;
}

/** A token's id as Principal.tokenId holds it: the issuer's prefix and the `jti`, or null when the token has none. */
export const tokenIdOf = (source: Principal['source'], jti: unknown): string | null =>
  (typeof jti === 'string' && jti !== '' ? `${source}:${jti}` : null);

/** The actor recorded in the metadata of every event the principal causes. */
export function actorOf(p: Principal): Actor {
  return p.role === 'volunteer' && p.volunteerId !== null
    ? { id: p.id, role: p.role, orgUnitId: null, volunteerId: p.volunteerId }
    : { id: p.id, role: p.role, orgUnitId: p.orgUnitId };
}
