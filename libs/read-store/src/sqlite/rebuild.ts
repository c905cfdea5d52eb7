import { rmSync } from 'node:fs';
import type { EventStore } from '@haitang/event-store';
import { cacheKeys } from './keys';
import { createSchema, type SqliteProjection } from './sqlite-projection';
import { dropReadModels, openReadModels, SqliteProjectionRunner } from './sqlite-projection-runner';

export interface RebuildProgress {
  readonly projected: number;
  readonly target: number;
}

/**
 * Rebuilds every read model from the log: replays it from position zero into a
 * fresh file, then swaps the fresh tables into the live file in one
 * transaction. Readers keep seeing the old figures until that commit (WAL
 * snapshots) and the new ones after; a running projector notices that the
 * checkpoints moved and carries on from them.
 *
 * The fresh file is a throwaway until the swap, so it is written as a bulk
 * load: no journal, no fsync, one transaction for the whole replay (batches
 * of 1000, small enough for their events to die young), and only the indexes
 * the projections look rows up by. The query indexes are built
 * once, in the live file, after the rows are copied in.
 */
export async function rebuildReadModels(options: {
  store: EventStore;
  readModelsFile: string;
  projections: readonly SqliteProjection[];
  onProgress?: (progress: RebuildProgress) => void;
  batchSize?: number;
}): Promise<{ events: number; position: number; seconds: number }> {
  const started = Date.now();
  const freshFile = `${options.readModelsFile}.rebuild-${process.pid}-${started}`;
  const fresh = openReadModels(freshFile);
  try {
    fresh.pragma('journal_mode = OFF');
    fresh.pragma('synchronous = OFF');
    fresh.pragma('locking_mode = EXCLUSIVE');
    fresh.pragma('cache_size = -262144');
    fresh.pragma('temp_store = MEMORY');
    // Nobody else writes to the fresh file: integer keys can be remembered in memory.
    cacheKeys(fresh);
    const runner = new SqliteProjectionRunner(fresh, options.store, options.projections, 0, true);
    const target = await options.store.headPosition();
    let position = 0;
    let events = 0;
    options.onProgress?.({ projected: 0, target });
    fresh.exec('BEGIN');
    for (;;) {
      const batch = await options.store.readAll(position, options.batchSize ?? 1000);
      if (batch.length === 0) break;
      runner.applyBatch(batch);
      position = batch[batch.length - 1].position;
      events += batch.length;
      options.onProgress?.({ projected: position, target: Math.max(target, position) });
    }
    fresh.exec('COMMIT');
    fresh.close();
    swapIn(options.readModelsFile, freshFile, options.projections);
    return { events, position, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (fresh.open) fresh.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(freshFile + suffix, { force: true });
  }
}

/**
 * Replaces the live tables by the fresh ones in one transaction: the tables are
 * created without their query indexes, filled (a straight copy, as both sides
 * have the same shape), and only then indexed.
 */
function swapIn(liveFile: string, freshFile: string, projections: readonly SqliteProjection[]): void {
  const live = openReadModels(liveFile);
  try {
    // This connection only swaps: a large page cache and in-memory sorts for building the indexes.
    live.pragma('cache_size = -262144');
    live.pragma('temp_store = MEMORY');
    live.prepare('ATTACH DATABASE ? AS fresh').run(freshFile);
    const tables = (live.prepare(`SELECT name FROM fresh.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[])
      .map((t) => t.name);
    live.transaction(() => {
      // Every old table goes, also those an older version of Haitang had and this one no longer has.
      dropReadModels(live);
      for (const p of projections) createSchema(live, p, false);
      for (const table of tables) live.exec(`INSERT INTO main."${table}" SELECT * FROM fresh."${table}"`);
      for (const p of projections) createSchema(live, p, true);
      // A new generation of read models: reports cached from the old ones are computed again (see FigureCache).
      live.pragma(`user_version = ${(live.pragma('user_version', { simple: true }) as number) + 1}`);
    })();
    live.exec('DETACH DATABASE fresh');
  } finally {
    live.close();
  }
}
