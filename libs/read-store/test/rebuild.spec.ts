import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@haitang/event-store';
import { ALL_PROJECTIONS, openReadModels, rebuildReadModels, SqliteProjectionRunner, SqliteReadModels, volunteerHours } from '../src';
import { dumpReadModels } from './dump';

const meta = { actor: { id: 'staff', role: 'staff', orgUnitId: 'c1' } };
const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, data, metadata: meta });

async function recordService(store: SqliteEventStore, volunteerId: string, recordId: string, minutes: number) {
  await store.append([{ streamId: `record-${recordId}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
    recordId, volunteerId, orgUnitId: 'c1', category: 'environment', serviceDate: '2026-10-08', minutes, status: 'approved',
    source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '清理楼道',
  })] }]);
}

describe('rebuilding the read models from the log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-rebuild-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays into fresh tables and swaps them in while a projector keeps following, ending equal to a from-scratch build', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (let v = 0; v < 20; v++) {
      await store.append([{ streamId: `volunteer-v${v}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
        volunteerId: `v${v}`, displayName: `志愿者${v}`, homeOrgUnitId: 'c1', partyMember: v % 2 === 0, senior: v % 3 === 0, occupation: 'other', personalData: null,
      })] }]);
    }
    for (let i = 0; i < 300; i++) await recordService(store, `v${i % 20}`, `r${i}`, 30 + (i % 7));

    const liveFile = join(dir, 'readmodels.sqlite');
    const live = openReadModels(liveFile);
    const runner = new SqliteProjectionRunner(live, store, ALL_PROJECTIONS, 0);
    runner.start();
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    // Damage the live read model, as a bug in an old projection would.
    const models = new SqliteReadModels(live);
    const before = (await volunteerHours(models, 'v1', [100]))!.approvedMinutes;
    live.prepare('UPDATE service_records SET minutes = minutes * 2').run();
    expect((await volunteerHours(models, 'v1', [100]))!.approvedMinutes).toBe(2 * before);

    const progress: number[] = [];
    const writing = (async () => {
      for (let i = 300; i < 400; i++) await recordService(store, `v${i % 20}`, `r${i}`, 45);
    })();
    const result = await rebuildReadModels({ store, readModelsFile: liveFile, projections: ALL_PROJECTIONS, batchSize: 50, onProgress: (p) => progress.push(p.projected) });
    await writing;
    expect(result.events).toBeGreaterThanOrEqual(321);
    expect(progress.length).toBeGreaterThan(5);
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));

    const scratch = openReadModels(join(dir, 'scratch.sqlite'));
    new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 100_000));
    expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));
    const expected = (await store.readAll(0, 100_000))
      .filter((e) => e.type === 'ServiceRecorded.v1' && (e.data as { volunteerId: string }).volunteerId === 'v1')
      .reduce((sum, e) => sum + (e.data as { minutes: number }).minutes, 0);
    expect((await volunteerHours(models, 'v1', [100]))!.approvedMinutes).toBe(expected);
    expect(readdirSync(dir).filter((f) => f.includes('rebuild'))).toEqual([]);

    await runner.stop();
    live.close();
    scratch.close();
    await store.close();
  });
});
