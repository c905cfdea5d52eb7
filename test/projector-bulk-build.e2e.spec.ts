import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/built';
import { dumpReadModels } from '../libs/read-store/test/dump';

// The built modules, exactly what the server runs (the projector thread needs its compiled worker).
const dist = (lib: string) => require(join(ROOT, 'dist', 'libs', lib, 'src'));

const meta = { actor: { id: 'staff', role: 'staff', orgUnitId: 'c1' } };
const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, data, metadata: meta });

/**
 * The projector thread on a long log with no read models (a new or deleted
 * readmodels.sqlite, or tables of another version dropped at start) builds
 * them by a bulk rebuild instead of following the log batch by batch, says so,
 * and ends with exactly what a from-scratch projection gives, then follows new
 * events as usual.
 */
describe('projector thread: empty read models over a long log', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-bulk-build-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A log of 10,002 events (two units, 1,000 volunteers, 10,000 approved records) in `eventsFile`. */
  async function writeLongLog(eventsFile: string) {
    const { SqliteEventStore } = dist('event-store');
    const store = new SqliteEventStore({ file: eventsFile, writerThread: false });
    await store.append([{ streamId: 'orgunit-d1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'd1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'community', name: '桃花坞社区', parentId: 'd1' })] }]);
    for (let v = 0; v < 1000; v += 100) {
      await store.append(Array.from({ length: 100 }, (_, i) => ({
        streamId: `volunteer-v${v + i}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
          volunteerId: `v${v + i}`, displayName: `志愿者${v + i}`, homeOrgUnitId: 'c1', partyMember: (v + i) % 4 === 0, senior: false, occupation: 'other', personalData: null,
        })],
      })));
    }
    const record = (r: number, minutes: number) => ({
      streamId: `record-r${r}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
        recordId: `r${r}`, volunteerId: `v${r % 1000}`, orgUnitId: r % 2 === 0 ? 'c1' : 'd1', category: 'environment',
        serviceDate: `2026-${String(1 + (r % 9)).padStart(2, '0')}-08`, minutes, status: 'approved', source: 'staff',
        activityId: null, activityTitle: null, location: null, personInCharge: null, description: '清理楼道',
      })],
    });
    for (let r = 0; r < 10_000; r += 500) await store.append(Array.from({ length: 500 }, (_, i) => record(r + i, 30 + ((r + i) % 60))));
    return { store, record };
  }

  /** The read models in `readModelsFile` hold exactly what projecting the whole log from scratch (into `scratchFile`) gives. */
  async function expectAsFromScratch(readModelsFile: string, store: { readAll(after: number, limit: number): Promise<unknown[]> }, scratchFile: string) {
    const { ALL_PROJECTIONS, openReadModels, SqliteProjectionRunner } = dist('read-store');
    const live = openReadModels(readModelsFile);
    const scratch = openReadModels(scratchFile);
    new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 100_000));
    expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));
    live.close();
    scratch.close();
  }

  it('are built in bulk, equal to a from-scratch projection, and then kept up to date', async () => {
    const { ProjectorThread } = dist('read-store');
    const eventsFile = join(dir, 'events.sqlite');
    const { store, record } = await writeLongLog(eventsFile);
    const head = await store.headPosition();
    expect(head).toBeGreaterThanOrEqual(10_000);

    const readModelsFile = join(dir, 'readmodels.sqlite');
    const warnings: string[] = [];
    const projector = new ProjectorThread({ eventLog: { kind: 'sqlite', file: eventsFile }, readModelsFile, startPosition: 0 }, (_level: string, message: string) => warnings.push(message));
    try {
      expect(await projector.waitFor(head, 60_000)).toBe(true);
      expect(warnings.join('\n')).toMatch(/read models are empty .*building them from the \d+ events of the log/);
      // And then it follows the log as usual.
      await store.append([record(10_000, 45)]);
      expect(await projector.waitFor(head + 1, 10_000)).toBe(true);
    } finally {
      await projector.stop();
    }
    expect(readdirSync(dir).filter((f) => f.includes('rebuild'))).toEqual([]);

    await expectAsFromScratch(readModelsFile, store, join(dir, 'scratch.sqlite'));
    await store.close();
  }, 120_000);

  it('stop cleanly when told to stop during the bulk build, and build them whole at the next start', async () => {
    const { openReadModels, ProjectorThread } = dist('read-store');
    const sub = mkdtempSync(join(dir, 'stop-'));
    const eventsFile = join(sub, 'events.sqlite');
    const { store } = await writeLongLog(eventsFile);
    const head = await store.headPosition();
    const readModelsFile = join(sub, 'readmodels.sqlite');
    const messages: string[] = [];
    let buildStarted!: () => void;
    const building = new Promise<void>((resolve) => (buildStarted = resolve));
    const projector = new ProjectorThread({ eventLog: { kind: 'sqlite', file: eventsFile }, readModelsFile, startPosition: 0 }, (level: string, message: string) => {
      messages.push(`${level}: ${message}`);
      if (/building them from/.test(message)) buildStarted();
    });
    await building;
    await projector.stop();
    // It stopped by itself: neither failed nor cut short (a thread cut short inside SQLite can abort the whole process).
    expect(messages.filter((m) => !/building them from/.test(m))).toEqual([]);
    expect(projector.error).toBeNull();
    // The live file holds no half-built read models: the fresh copy is swapped in whole or not at all.
    const stopped = openReadModels(readModelsFile);
    const positions = new Set((stopped.prepare('SELECT position FROM checkpoints').all() as { position: number }[]).map((row) => row.position));
    stopped.close();
    expect([[0], [head]]).toContainEqual([...positions]);

    // The next start builds them whole.
    const again = new ProjectorThread({ eventLog: { kind: 'sqlite', file: eventsFile }, readModelsFile, startPosition: 0 }, () => undefined);
    try {
      expect(await again.waitFor(head, 60_000)).toBe(true);
    } finally {
      await again.stop();
    }
    await expectAsFromScratch(readModelsFile, store, join(sub, 'scratch.sqlite'));
    await store.close();
  }, 120_000);
});
