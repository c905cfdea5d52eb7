import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore, RecordedEvent } from '@haitang/event-store';
import { applyToProjection, createSchema, type SqliteProjection } from './sqlite-projection';
import { PositionWaiters, type ProjectionProgress } from '../projection-progress';
import { stmt } from './statements';
import { movesOwnership } from '../projections/stream-owners.projection';

class CheckpointGap extends Error {}

/** Opens the read-model file: its own SQLite file, separate from the events, so it can be deleted and rebuilt. */
export function openReadModels(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  createCheckpoints(db);
  return db;
}

/**
 * Read models in a temporary database (no file name), for a rebuild's fresh copy: SQLite keeps its
 * pages in the page cache and writes them to a temporary file (in $SQLITE_TMPDIR, $TMPDIR or
 * /var/tmp, removed when closed) only if they outgrow the cache. No journal, no fsync: it is a
 * throwaway until it is copied into the live file.
 */
export function openTemporaryReadModels(options: { pageSize: number; cacheMB: number }): Database.Database {
  const db = new Database('');
  db.pragma(`page_size = ${Math.trunc(options.pageSize)}`);
  db.pragma(`cache_size = ${-Math.trunc(options.cacheMB * 1024)}`);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  createCheckpoints(db);
  return db;
}

function createCheckpoints(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID');
}

/** Drops every read-model table and resets every checkpoint (the log is the truth: projecting it again rebuilds them). */
export function dropReadModels(db: Database.Database): void {
  db.transaction(() => {
    const tables = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'checkpoints'`)
      .pluck().all() as string[];
    for (const table of tables) db.exec(`DROP TABLE main."${table}"`);
    db.exec('DELETE FROM main.checkpoints');
  })();
}

/**
 * Follows the event log and applies it to the projections. Each batch is read
 * first (the read is async), then applied together with every projection's new
 * checkpoint in ONE synchronous SQLite transaction: a crash replays at most the
 * uncommitted batch, and never counts an event twice.
 */
export class SqliteProjectionRunner implements ProjectionProgress {
  private controller = new AbortController();
  private running: Promise<void> | null = null;
  private readonly progress = new PositionWaiters();
  /** Called after each committed batch with the new position. */
  /** Called after each committed batch; `moved`: the batch moved a stream to another owner. */
  onProjected: (position: number, moved: boolean) => void = () => undefined;
  /** Called when a batch could not be applied; the runner retries after `retryMs`. */
  onError: (error: unknown) => void = () => undefined;
  retryMs = 1000;
  /** The projections whose tables had another version: every read model was dropped, to be projected again from the log. */
  readonly outdated: readonly string[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly store: EventStore,
    private readonly projections: readonly SqliteProjection[],
    /**
     * After a small batch, wait this long before the next one, so events that
     * arrive meanwhile share one read-model transaction instead of each paying
     * for a commit on the request thread.
     */
    private readonly pacingMs = 20,
    /**
     * A rebuild's bulk load into a fresh file: no query indexes (created once
     * the rows are in), and batches applied inside the caller's one
     * transaction rather than each in its own (a savepoint per batch would
     * copy every page it touches).
     */
    private readonly bulk = false,
  ) {
    // Tables of another shape (written by another version of Haitang): start the read models afresh from the log.
    const outdated = projections.filter((p) => {
      const row = stmt(db, 'SELECT version FROM checkpoints WHERE projection = ?').get(p.name) as { version: number } | undefined;
      return row !== undefined && row.version !== p.version;
    });
    if (outdated.length > 0) {
      dropReadModels(db);
      this.outdated = outdated.map((p) => p.name);
    }
    for (const p of projections) {
      createSchema(db, p, !bulk);
      stmt(db, 'INSERT OR IGNORE INTO checkpoints VALUES (?, ?, 0)').run(p.name, p.version);
    }
    this.progress.advance(this.checkpoint());
  }

  /** The lowest position every projection has reached. */
  checkpoint(): number {
    return (stmt(this.db, 'SELECT coalesce(min(position), 0) AS p FROM checkpoints WHERE projection IN (SELECT value FROM json_each(?))')
      .get(JSON.stringify(this.projections.map((p) => p.name))) as { p: number }).p;
  }

  start(): void {
    if (this.running) return;
    this.controller = new AbortController();
    this.running = this.follow(this.controller.signal);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const batchSize = 1000;
    while (!signal.aborted) {
      try {
        for await (const batch of this.store.follow(this.checkpoint(), { signal, batchSize })) {
          // False when the checkpoints moved under us (a rebuild was swapped in): follow again from them.
          if (!this.applyBatch(batch)) break;
          if (signal.aborted) break;
          if (batch.length < batchSize && this.pacingMs > 0) await new Promise((r) => setTimeout(r, this.pacingMs));
        }
      } catch (error) {
        // A full disk, a locked file: nothing of the failed batch was committed. Say so, wait, and go on from the checkpoint.
        if (signal.aborted) break;
        this.onError(error);
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
  }

  /**
   * Applies one batch and moves the checkpoints, atomically. Refuses (false,
   * nothing applied) a batch that starts after a gap, i.e. when a projection's
   * checkpoint is behind the batch's first event.
   */
  applyBatch(batch: readonly RecordedEvent[]): boolean {
    if (batch.length === 0) return true;
    const first = batch[0].position;
    const last = batch[batch.length - 1].position;
    const apply = () => {
      for (const p of this.projections) {
        const from = (stmt(this.db, 'SELECT position FROM checkpoints WHERE projection = ?').get(p.name) as { position: number }).position;
        if (from < first - 1) throw new CheckpointGap();
        applyToProjection(this.db, p, batch, from);
        stmt(this.db, 'UPDATE checkpoints SET position = max(position, ?) WHERE projection = ?').run(last, p.name);
      }
    };
    if (this.bulk && !this.db.inTransaction) throw new Error('A bulk load runs inside one transaction of its caller.');
    try {
      if (this.bulk) apply();
      else this.db.transaction(apply)();
    } catch (error) {
      if (error instanceof CheckpointGap) return false;
      throw error;
    }
    const moved = batch.some(movesOwnership);
    this.progress.advance(last, moved);
    this.onProjected(last, moved);
    return true;
  }

  /** Resolves true once everything up to `position` is projected (read-your-writes), false on timeout. */
  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  get ownershipEpoch(): number {
    return this.progress.ownershipEpoch;
  }

  get position(): number {
    return this.progress.position;
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running?.catch(() => undefined);
    this.running = null;
  }
}
