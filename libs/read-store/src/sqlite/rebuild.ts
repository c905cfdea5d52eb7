import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { type EventStore, readToHead } from '@haitang/event-store';
import { cacheKeys, writeCachedKeys } from './keys';
import { createSchema, type SqliteProjection } from './sqlite-projection';
import { openReadModels, openTemporaryReadModels, SqliteProjectionRunner } from './sqlite-projection-runner';

export interface RebuildProgress {
  readonly projected: number;
  readonly target: number;
}

/**
 * Rebuilds every read model from the log: replays it from position zero into a
 * fresh copy, then swaps the fresh copy's content into the live file in one
 * transaction. Readers keep seeing the old figures until that commit (WAL
 * snapshots) and the new ones after; a running projector notices that the
 * checkpoints moved and carries on from them.
 *
 * The fresh copy is a throwaway until the swap, so it is a temporary
 * database written as a bulk load: no file of its own unless it outgrows its
 * 256 MB page cache (openTemporaryReadModels), no journal, no fsync, one
 * transaction for the whole replay (batches of 1000, small enough for their
 * events to die young), and only the indexes the projections look rows up by;
 * the log is read and decoded on a reader thread meanwhile
 * (EventStore.readToHead). The query indexes are built once, after every row
 * is in (a sort each, on the spare cores), still in the fresh copy, which is
 * then copied into the live file page by page, straight from memory.
 */
export async function rebuildReadModels(options: {
  store: EventStore;
  readModelsFile: string;
  projections: readonly SqliteProjection[];
  onProgress?: (progress: RebuildProgress) => void;
  batchSize?: number;
  /** The fresh copy's page cache (default 256 MB): beyond it, its pages go to a temporary file. */
  cacheMB?: number;
}): Promise<{ events: number; position: number; seconds: number }> {
  const started = Date.now();
  // The live file first: the fresh copy takes its page size, as a copy page by page needs (see swapIn).
  const live = openReadModels(options.readModelsFile);
  let fresh: Database.Database | null = null;
  try {
    fresh = openTemporaryReadModels({ pageSize: live.pragma('page_size', { simple: true }) as number, cacheMB: options.cacheMB ?? 256 });
    fresh.pragma('temp_store = MEMORY');
    // Sorts for the query indexes may use the other cores.
    fresh.pragma(`threads = ${Math.max(0, availableParallelism() - 1)}`);
    // Nobody else writes to the fresh copy: integer keys can be remembered in memory.
    cacheKeys(fresh);
    const runner = new SqliteProjectionRunner(fresh, options.store, options.projections, 0, true);
    const target = await options.store.headPosition();
    let position = 0;
    let events = 0;
    options.onProgress?.({ projected: 0, target });
    fresh.exec('BEGIN');
    for await (const batch of readToHead(options.store, 0, options.batchSize ?? 1000)) {
      runner.applyBatch(batch);
      position = batch[batch.length - 1].position;
      events += batch.length;
      options.onProgress?.({ projected: position, target: Math.max(target, position) });
    }
    writeCachedKeys(fresh);
    for (const p of options.projections) createSchema(fresh, p, true);
    fresh.exec('COMMIT');
    await swapIn(live, fresh, options.readModelsFile);
    return { events, position, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (fresh?.open) fresh.close();
    live.close();
  }
}

/** How often a swap that found the live file locked by another writer is tried again (see swapIn). */
const SWAP_ATTEMPTS = 100;

/**
 * Replaces the live file's content by the fresh copy's in one transaction:
 * SQLite's online backup copies the fresh copy page by page into the live file
 * (through its WAL: readers keep their snapshot until the commit), every old
 * table going, also those an older version of Haitang had and this one no
 * longer has. Far cheaper than copying the rows and indexing them again.
 *
 * The fresh copy carries the next generation number (user_version): reports
 * cached from the old read models are computed again (see FigureCache). It
 * also tells whether the copy happened: a backup that finds the live file
 * locked by another writer (the projector of a running Haitang, for the
 * moment of one batch) as it starts gives up without copying anything, and
 * is tried again. The copy holds the live file's write lock from its first
 * step to its commit, one turn of the event loop apart: a projector of the
 * live file on this same thread would wait out its busy timeout in between
 * (the projector thread rebuilds before it follows; another thread or process
 * only waits for the copy).
 */
async function swapIn(live: Database.Database, fresh: Database.Database, liveFile: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const generation = (live.pragma('user_version', { simple: true }) as number) + 1;
    fresh.pragma(`user_version = ${generation}`);
    // All pages in one step once the backup has started (a step of 0 pages opens it).
    await fresh.backup(liveFile, { progress: () => 0x7fffffff });
    if (live.pragma('user_version', { simple: true }) === generation) return;
    if (attempt === SWAP_ATTEMPTS) throw new Error(`The read models could not be swapped in: ${liveFile} stayed locked by another writer.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
