import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { EventStore } from '@haitang/event-store';
import { ALL_PROJECTIONS, openReadModels, SqliteProjectionRunner, SqliteReadModels, type SqliteProjection } from '../src';
import { sortedDump } from './dump';
import type { ReadStore, ReadStoreAdapter } from './read-model-fixture';

const withoutTotals = ({ approved_minutes: _a, pending_minutes: _p, approved_by_category: _c, approved_by_year: _y, ...row }: Record<string, unknown>) => row;

/** Read models in a SQLite file in a temp dir, applied by the (synchronous) SQLite runner. */
export const sqliteReadStore: ReadStoreAdapter = {
  name: 'SQLite',
  async open(projections: readonly SqliteProjection[] = ALL_PROJECTIONS): Promise<ReadStore> {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-rm-'));
    const file = join(dir, 'rm.sqlite');
    let db: Database.Database;
    let runner: SqliteProjectionRunner;
    const models = {} as { current: SqliteReadModels };
    const open = () => {
      db = openReadModels(file);
      runner = new SqliteProjectionRunner(db, {} as EventStore, projections);
      models.current = new SqliteReadModels(db);
    };
    open();
    return {
      get models() {
        return models.current;
      },
      apply: async (events) => runner.applyBatch(events),
      async deliver(events) {
        db.transaction(() => {
          for (const projection of projections) {
            for (const event of events) if (projection.handles.has(event.type)) projection.apply(db, event);
          }
        })();
      },
      async dump() {
        const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'checkpoints'`).all() as { name: string }[]);
        // Without the volunteers' totals, which SQLite keeps like an index (records.projection.ts) and PostgreSQL
        // does not: both answer the same hours (adapters-agree.spec.ts compares them).
        const rows = (name: string) => (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
          .map((row) => (name === 'volunteers' ? withoutTotals(row) : row));
        return sortedDump(Object.fromEntries(tables.map(({ name }) => [name, rows(name)])));
      },
      checkpoint: async () => runner.checkpoint(),
      get progress() {
        return runner;
      },
      async reopen() {
        db.close();
        open();
      },
      async reset() {
        const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'checkpoints'`).all() as { name: string }[]);
        db.transaction(() => {
          for (const { name } of tables) db.exec(`DELETE FROM "${name}"`);
          db.exec('UPDATE checkpoints SET position = 0');
        })();
      },
      async close() {
        if (db.open) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
