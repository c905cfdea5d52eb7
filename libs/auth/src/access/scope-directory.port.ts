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
  /**
   * Resolves once the read models hold the log up to `position` (or after a
   * few seconds): a request that asks to read its writes (`minPosition`) is
   * checked against them too, e.g. after a volunteer moved to another unit.
   */
  caughtUpWith(position: number): Promise<void>;
}

export const SCOPE_DIRECTORY = Symbol('ScopeDirectory');
