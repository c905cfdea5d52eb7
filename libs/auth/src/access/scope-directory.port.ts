import type { Location } from './authorize';
import type { TargetKind } from './policy';

/**
 * Where records live, for scope checks: the read model of the hierarchy and of
 * what belongs to which unit. `locate` answers null for an id it does not know
 * (after making sure the read models caught up with the log).
 */
export interface ScopeDirectory {
  locate(kind: TargetKind, id: string): Promise<Location | null>;
  /** True when `unit` is `ancestor` or lies under it. */
  isWithin(ancestor: string, unit: string): Promise<boolean>;
}

export const SCOPE_DIRECTORY = Symbol('ScopeDirectory');
