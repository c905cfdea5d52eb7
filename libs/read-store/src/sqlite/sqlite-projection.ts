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
  /** CREATE TABLE IF NOT EXISTS … for its tables. */
  readonly schema: string;
  /** The event types it reads (others are skipped cheaply). */
  readonly handles: ReadonlySet<string>;
  apply(db: Database.Database, event: RecordedEvent): void;
}
