import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/built';
import { dumpReadModels } from '../libs/read-store/test/dump';

// The built modules, exactly what `npm run rebuild` runs (the log's reader thread needs its compiled worker).
const dist = (lib: string) => require(join(ROOT, 'dist', 'libs', lib, 'src'));
// The benchmark's generator: two years of a realistic ledger, every kind of event (bench/support/generate-log.js).
const { generateLog } = require(join(ROOT, 'bench', 'support', 'generate-log.js'));

/**
 * A rebuild takes its own ways through the log: a reader thread reads and
 * decodes it ahead, rows are changed by integer keys kept in memory, the
 * audit is inserted many rows per statement, and the fresh file is copied
 * into the live one page by page. Over a generated log with every kind of
 * event (activities planned, moved, cancelled and completed; enrollments,
 * check-ins, withdrawals; records approved, rejected, amended, revoked;
 * profile updates, moves of volunteers) it ends with exactly the rows the live
 * projector writes batch by batch.
 */
describe('rebuild over a generated log', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-rebuild-generated-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equals the live projection, table by table', async () => {
    const { SqliteEventStore } = dist('event-store');
    const { ALL_PROJECTIONS, openReadModels, rebuildReadModels, SqliteProjectionRunner } = dist('read-store');
    const eventsFile = join(dir, 'events.sqlite');
    const summary = generateLog({ file: eventsFile, events: 20_000, volunteers: 1_000, seed: 7 });
    const store = new SqliteEventStore({ file: eventsFile, writerThread: false });

    // As the live projector goes: batch after batch, each in its own transaction.
    const live = openReadModels(join(dir, 'live.sqlite'));
    const runner = new SqliteProjectionRunner(live, store, ALL_PROJECTIONS, 0);
    for (let position = 0; ;) {
      const batch = await store.readAll(position, 700);
      if (batch.length === 0) break;
      expect(runner.applyBatch(batch)).toBe(true);
      position = batch[batch.length - 1].position;
    }
    expect(runner.checkpoint()).toBe(summary.events);

    // A rebuild into a file that holds read models already (damaged ones, and a table nobody has any more).
    const rebuiltFile = join(dir, 'readmodels.sqlite');
    const rebuilt = openReadModels(rebuiltFile);
    new SqliteProjectionRunner(rebuilt, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 5_000));
    rebuilt.exec('UPDATE service_records SET minutes = 0; CREATE TABLE record_history (position INTEGER PRIMARY KEY)');
    const result = await rebuildReadModels({ store, readModelsFile: rebuiltFile, projections: ALL_PROJECTIONS });
    expect(result).toMatchObject({ events: summary.events, position: summary.events });
    expect(readdirSync(dir).filter((f) => f.includes('rebuild'))).toEqual([]);

    const types = (await store.readAll(0, 100_000)).map((e: { type: string }) => e.type);
    for (const type of ['ActivityCancelled.v1', 'ActivityRescheduled.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1', 'ServiceRejected.v1', 'EnrollmentWithdrawn.v1']) {
      expect(types).toContain(type);
    }
    expect(dumpReadModels(rebuilt)).toEqual(dumpReadModels(live));
    // The rebuilt file is a read-model file like any other: WAL, a new generation of figures.
    expect(rebuilt.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(rebuilt.pragma('user_version', { simple: true })).toBe(1);
    live.close();
    rebuilt.close();
    await store.close();
  }, 120_000);
});
