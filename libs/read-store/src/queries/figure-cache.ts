import type Database from 'better-sqlite3';
import { lastFigureChange } from '../projections/figure-changes.projection';

/**
 * Remembers computed reports, each with the position of the last change to its
 * unit's figures over its months when it was computed. A report is reused
 * only while that position is unchanged, so a cached answer is always exactly
 * what a fresh computation would give. Bounded; least recently used goes first.
 */
export class FigureCache<T> {
  private readonly entries = new Map<string, { stamp: number; value: T }>();

  constructor(private readonly capacity = 256) {}

  get(
    db: Database.Database,
    scope: { unitId: string; fromMonth: string; toMonth: string; anyMonth?: boolean },
    key: string,
    compute: () => T,
  ): { value: T; hit: boolean } {
    // Read the stamp before computing: the computation then sees at least every change the stamp covers.
    const stamp = lastFigureChange(db, scope.unitId, scope.fromMonth, scope.toMonth, scope.anyMonth);
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.stamp === stamp) {
      this.entries.set(key, cached);
      return { value: cached.value, hit: true };
    }
    const value = compute();
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return { value, hit: false };
  }
}
