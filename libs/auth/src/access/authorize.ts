import type { Principal } from '../tokens/principal';
import type { RoutePolicy } from './policy';

/** Where a target lives: the org unit that owns it, and the volunteer it is about (if any). */
export interface Location {
  readonly orgUnitId: string | null;
  readonly volunteerId: string | null;
}

export type Refusal = 'role' | 'read-only' | 'scope';

/** The role rules: admin does everything, officials only read, others only what their route lists. */
export function roleRefusal(principal: Principal, policy: RoutePolicy): Refusal | null {
  if (principal.role === 'admin') return null;
  if (principal.role === 'official' && policy.action === 'write') return 'read-only';
  if (!policy.roles.includes(principal.role)) return 'role';
  return null;
}

/**
 * Whether a located target lies in the caller's scope: for officials and staff,
 * its org unit is their unit or under it; for a volunteer, it is about them.
 * An unknown target (null) is never in scope, so an unknown id and a foreign id
 * are refused alike.
 */
export async function inScope(principal: Principal, location: Location | null, isWithin: (ancestor: string, unit: string) => Promise<boolean>): Promise<boolean> {
  if (principal.role === 'admin') return true;
  if (location === null) return false;
  if (principal.role === 'volunteer') return principal.volunteerId !== null && location.volunteerId === principal.volunteerId;
  return principal.orgUnitId !== null && location.orgUnitId !== null && isWithin(principal.orgUnitId, location.orgUnitId);
}
