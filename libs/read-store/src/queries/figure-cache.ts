import type { ReadModels } from '../read-models.port';

/**
 * The position of the last change to the figures of a unit's subtree over a
 * range of months, or anywhere ('*'); with `anyMonth`, also the changes that
 * only dashboards show (their overdue list). See figure-changes.projection.ts.
 */
export async function lastFigureChange(db: ReadModels, unitId: string, fromMonth: string, toMonth: string, anyMonth = false): Promise<number> {
  return (await db.get<{ p: number }>(`SELECT coalesce(max(position), 0) AS p FROM figure_changes
    WHERE (unit_id = ? AND (month BETWEEN ? AND ? OR (? = 1 AND month = 'any'))) OR unit_id = '*'`, [unitId, fromMonth, toMonth, anyMonth ? 1 : 0]))!.p;
}

/**
 * Remembers computed reports, each with the position of the last change to its
 * unit's figures over its months when it was computed. A report is reused
 * only while that position is unchanged, so a cached answer is always exactly
 * what a fresh computation would give. Bounded; least recently used goes first.
 */
export class FigureCache<T> {
  private readonly entries = new Map<string, { stamp: number; value: T }>();

  constructor(private readonly capacity = 256) {}

  async get(
    db: ReadModels,
    scope: { unitId: string; fromMonth: string; toMonth: string; anyMonth?: boolean },
    key: string,
    compute: () => Promise<T>,
  ): Promise<{ value: T; hit: boolean }> {
    // Read the stamp before computing: the computation then sees at least every change the stamp covers.
    const stamp = await lastFigureChange(db, scope.unitId, scope.fromMonth, scope.toMonth, scope.anyMonth);
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.stamp === stamp) {
      this.entries.set(key, cached);
      return { value: cached.value, hit: true };
    }
    const value = await compute();
    this.entries.set(key, { stamp, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return { value, hit: false };
  }
}
