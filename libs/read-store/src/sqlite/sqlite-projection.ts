import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';

/**
 * A projection into SQLite tables. `apply` runs inside the runner's transaction,
 * together with the checkpoint update, so a batch is either fully applied and
 * checkpointed or not at all. It must also tolerate seeing an event twice.
 */
export interface SqliteProjection {
  readonly name: string;
  /** Bump to rebuild from zero when the tables change shape. */
  readonly version: number;
  /** CREATE TABLE IF NOT EXISTS … for its tables, and the indexes `apply` itself looks rows up by. */
  readonly schema: string;
  /**
   * CREATE INDEX IF NOT EXISTS … that only the queries use. A rebuild creates
   * them once, after every row is in (a sort is far cheaper than keeping them
   * up to date row by row); adding one changes no table, so it needs no rebuild.
   * Also the triggers that keep totals only the queries read, with a statement
   * that fills those totals while the triggers do not exist yet (see
   * records.projection.ts): run once more after a rebuild's bulk load, they
   * must leave the same rows as triggers kept from the start.
   */
  readonly indexes?: string;
  /** The event types it reads (others are skipped cheaply). */
  readonly handles: ReadonlySet<string>;
  apply(db: Database.Database, event: RecordedEvent): void;
  /**
   * Optional: applies a whole batch at once (the events it handles, in log
   * order), instead of `apply` one by one, for a projection that gains from
   * seeing the batch together. Must give the same rows as `apply` per event.
   */
  applyBatch?(db: Database.Database, events: readonly RecordedEvent[]): void;
}

/** Creates a projection's tables (and, unless `withIndexes` is false, its query indexes). */
export function createSchema(db: Database.Database, projection: SqliteProjection, withIndexes = true): void {
  db.exec(projection.schema);
  if (withIndexes && projection.indexes) db.exec(projection.indexes);
}

/** Applies a batch to one projection: the events it handles, after `from` (its checkpoint), in order. */
export function applyToProjection(db: Database.Database, projection: SqliteProjection, batch: readonly RecordedEvent[], from = 0): void {
  if (projection.applyBatch) {
    const mine = batch.filter((event) => event.position > from && projection.handles.has(event.type));
    if (mine.length > 0) projection.applyBatch(db, mine);
    return;
  }
  for (const event of batch) if (event.position > from && projection.handles.has(event.type)) projection.apply(db, event);
}
