import type { Principal } from '../tokens/principal';

const principals = new WeakMap<object, Principal>();

/** Remembers who made a request (set by the access guard once the token is verified). */
export function setPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/** Who made a request; undefined on a public route called without a token. */
export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}
