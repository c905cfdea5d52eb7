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
 * The generation of the read models: a new one whenever a rebuild swaps in
 * fresh tables (SQLite: the file's user_version, which the swap increments;
 * PostgreSQL: the identity of the figure_changes table, which the swap
 * replaces), so that nothing computed from the old tables is reused.
 */
export async function readModelsGeneration(db: ReadModels): Promise<number> {
  if (db.dialect === 'sqlite') return (await db.get<{ user_version: number }>('PRAGMA user_version'))!.user_version;
  return (await db.get<{ g: number }>(`SELECT 'figure_changes'::regclass::oid::bigint AS g`))!.g;
}

/**
 * Remembers computed reports, each with the position of the last change to its
 * unit's figures over its months when it was computed. A report is reused
 * only while that position is unchanged, so a cached answer is always exactly
 * what a fresh computation would give, also after a rebuild swapped in new
 * read models. Bounded; least recently used goes first.
 */
export class FigureCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: T }>();

  constructor(private readonly capacity = 256) {}

  async get(
    db: ReadModels,
    scope: { unitId: string; fromMonth: string; toMonth: string; anyMonth?: boolean },
    key: string,
    compute: () => Promise<T>,
  ): Promise<{ value: T; hit: boolean }> {
    // Read the stamp before computing: the computation then sees at least every change the stamp covers.
    // A rebuild swapped in starts a new generation of read models: nothing cached before it is reused.
    const stamp = `${await readModelsGeneration(db)}:${await lastFigureChange(db, scope.unitId, scope.fromMonth, scope.toMonth, scope.anyMonth)}`;
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
